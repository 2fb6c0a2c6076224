"""The raketieto command line."""
