"""The class set on paper: rosters, unique copies, answer sheets, scans, grades and what the results teach."""
