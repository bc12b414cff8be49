"""The class set on paper: sheets, scans, grades and what the results teach (issue 11)."""
