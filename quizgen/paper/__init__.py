"""The class set on paper: rosters, unique copies, answer sheets, their layout and key; scans graded (scan/, grade, review)."""
