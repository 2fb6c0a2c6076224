"""Data functions behind each view: plain data that the CLI, pages, API and exports render."""
