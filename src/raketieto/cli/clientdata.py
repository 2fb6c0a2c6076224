"""`raketieto clientdata`: validate an extract, make a synthetic one, load one into the cube."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from raketieto.catalogue import load_catalogue
from raketieto.cli.context import console, settings_from
from raketieto.clientdata.load import load_extract
from raketieto.clientdata.synth import generate_extract, write_extract
from raketieto.clientdata.validate import ValidationReport, validate_extract
from raketieto.errors import RaketietoError
from raketieto.regions import load_division

app = typer.Typer(
    no_args_is_help=True, help="Asiakastietopoiminnat: tarkistus, synteesi ja lataus kuutioon."
)

FileArgument = Annotated[Path, typer.Argument(help="Poimintatiedosto (.csv tai .parquet).")]
_SHOWN_ERRORS = 50


def _print_report(report: ValidationReport) -> None:
    for line in report.lines():
        console.print(line, highlight=False)
    if report.errors:
        table = Table(title="Rivivirheet (hylätyt rivit)")
        for head in ("rivi", "kenttä", "arvo", "odotettiin"):
            table.add_column(head)
        for error in report.errors[:_SHOWN_ERRORS]:
            table.add_row(str(error.row), error.field, error.value or "(tyhjä)", error.expected)
        console.print(table)
        hidden = sum(report.error_counts.values()) - min(len(report.errors), _SHOWN_ERRORS)
        if hidden > 0:
            console.print(f"… ja {hidden} muuta rivivirhettä.")


@app.command("validate")
def validate(path: FileArgument) -> None:
    """Check an extract: refuse identifiers, list row-level errors, summarise what is accepted."""
    settings = settings_from()
    division = load_division(settings.division_year)
    with validate_extract(path, division=division) as extract:
        _print_report(extract.report)


@app.command("synth")
def synth(
    out: Annotated[Path, typer.Option("--out", help="Tiedosto, .parquet tai .csv.")],
    events: Annotated[int, typer.Option("--events", help="Tapahtumien määrä.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Satunnaissiemen.")] = 2026,
    first_year: Annotated[int, typer.Option("--first-year", help="Ensimmäinen vuosi.")] = 2022,
    last_year: Annotated[int, typer.Option("--last-year", help="Viimeinen vuosi.")] = 2024,
) -> None:
    """Write a synthetic national extract (labelled synthetic; no real persons)."""
    settings = settings_from()
    division = load_division(settings.division_year)
    table = generate_extract(
        events, seed=seed, first_year=first_year, last_year=last_year, division=division
    )
    write_extract(table, out, seed=seed)
    console.print(
        f"Synteettinen poiminta kirjoitettu: {out} ({table.num_rows:,} tapahtumaa, "
        f"siemen {seed}). SYNTEETTINEN AINEISTO – ei todellisia henkilöitä.",
        highlight=False,
    )


@app.command("load")
def load(path: FileArgument) -> None:
    """Validate an extract, aggregate and disclosure-control it, and put it into the cube."""
    settings = settings_from()
    division = load_division(settings.division_year)
    catalogue = load_catalogue(settings.catalogue_dir)
    result = load_extract(path, settings=settings, catalogue=catalogue, division=division)
    _print_report(result.report)
    facts = result.facts
    if facts.empty:  # pragma: no cover - extract_facts raises before this
        raise RaketietoError("Poiminnasta ei syntynyt yhtään faktaa.")
    hidden = int(facts["suppressed"].sum())
    console.print(
        f"Kuutio päivitetty: {result.cube} ({len(facts):,} asiakastietofaktaa, "
        f"joista {hidden:,} peitetty tietosuojan vuoksi; moottori {settings.engine}).",
        highlight=False,
    )
