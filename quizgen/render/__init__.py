"""Renderers: one module per output (practice page, PDF, Anki ...); pure functions returning text or bytes."""
