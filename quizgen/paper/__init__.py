"""The class set on paper: rosters, unique copies, answer sheets, their layout and key (issue 11)."""
