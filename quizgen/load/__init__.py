"""Load: read content files into typed records, with located issues."""
