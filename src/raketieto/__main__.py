"""`python -m raketieto` runs the command line."""

from raketieto.cli.main import run

# Guarded: the worker processes of `serve --workers` import this module again when spawned.
if __name__ == "__main__":
    run()
