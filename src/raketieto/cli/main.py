"""Entry point: mounts the command groups and turns input errors into one clear sentence."""

from __future__ import annotations

import os
import sys

import typer

from raketieto.cli import (
    catalogue,
    clientdata,
    demo,
    export,
    fetch,
    regions,
    serve,
    users,
    values,
)
from raketieto.cli.context import error_console
from raketieto.cli.usage import usage_message
from raketieto.errors import RaketietoError

app = typer.Typer(
    name="raketieto",
    help="Rakenteellisen sosiaalityön tietotuotanto ja raportointi.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("build-demo", help="Rakenna esittelykuutio paketin avoimesta datasta.")(demo.build_demo)
app.command("show", help="Näytä alueen tilannekuva päätteessä.")(demo.show)
app.command("values", help="Näytä indikaattorin arvot alueelle vuosittain.")(values.values)
app.command("serve", help="Käynnistä raportointipalvelu (verkkosivut ja API).")(serve.serve)
app.command("export", help="Vie alueen tietopohja tiedostoksi (xlsx, csv, JSON-stat).")(
    export.export
)
app.command("fetch")(fetch.fetch)
app.add_typer(
    regions.app, name="regions", help="Aluejako: kunnat, hyvinvointialueet, yhteistyöalueet."
)
app.add_typer(catalogue.app, name="catalogue", help="Ilmiöt ja indikaattorit (luettelo).")
app.add_typer(clientdata.app, name="clientdata")
users.mount(app)


def run() -> None:
    """Run the CLI; a RaketietoError ends in one sentence on stderr and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except RaketietoError as error:
        error_console.print(f"[bold red]Virhe:[/] {error.full_message()}", highlight=False)
        sys.exit(error.exit_code)
    except typer.Abort:
        error_console.print("Keskeytetty.")
        sys.exit(130)
    except Exception as error:  # last line of defence: no traceback for users
        # Typer vendors click: usage errors (unknown option, bad value) arrive as its exceptions.
        if isinstance(error, typer.exceptions.TyperException):
            sentence = usage_message(error, sys.argv[1:])
            error_console.print(f"[bold red]Virhe:[/] {sentence}", highlight=False)
            sys.exit(error.exit_code)
        if os.environ.get("RAKETIETO_DEBUG"):
            raise
        error_console.print(
            f"[bold red]Odottamaton virhe:[/] {type(error).__name__}: {error}. "
            "Aja uudelleen ympäristömuuttujalla RAKETIETO_DEBUG=1 nähdäksesi yksityiskohdat.",
            highlight=False,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
