"""Render: pure functions from typed records to output bytes (HTML, PDF, Anki, practice page)."""
