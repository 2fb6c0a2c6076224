"""`python -m raketieto` runs the command line."""

from raketieto.cli.main import run

run()
