"""Check: cross-cutting checks of loaded content (sources, give-aways, fonts, item writing)."""
