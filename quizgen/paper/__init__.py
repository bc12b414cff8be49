"""The class set on paper: sheets to print (roster, copies, layout) and scans to grade (scan/, grade, review)."""
