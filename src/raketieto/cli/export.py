"""`raketieto export`: an area's whole knowledge base as Excel, CSV or JSON-stat."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated

import typer

from raketieto.catalogue import load_catalogue
from raketieto.cli.context import console, settings_from
from raketieto.cube.query import CubeReader
from raketieto.errors import RaketietoError
from raketieto.exports import ExportFormat, parse_format, render
from raketieto.exports.xlsx import write_xlsx
from raketieto.regions import load_division
from raketieto.reports.tidy import check_lang, knowledge_base, knowledge_base_columns


def export(
    region: Annotated[
        str, typer.Option("--region", "-r", help="Alueen koodi tai nimi, esim. HVA05.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="xlsx, csv, csv-fi, json tai jsonstat.")
    ] = "xlsx",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Tiedosto (oletus: <alue><pääte>).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Kieli: fi, sv tai en.")] = "fi",
) -> None:
    """Write an area's knowledge base (the area, the areas in it, the country; all years)."""
    chosen = parse_format(fmt)
    lang = check_lang(lang)
    settings = settings_from()
    catalogue = load_catalogue(settings.catalogue_dir)
    division = load_division(settings.division_year)
    area = division.lookup(region)
    target = out if out is not None else Path(f"tietopohja-{area.code}{chosen.suffix}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RaketietoError(f"Kansiota '{folder}' ei ole; anna --out olemassa olevaan kansioon.")
    with CubeReader.open(settings) as reader:
        if chosen is ExportFormat.XLSX:
            # Column-wise from the cube and streamed into the file: a national cube's county
            # is a million rows, more than one Excel sheet holds; the workbook splits them.
            with knowledge_base_columns(reader, catalogue, division, area.code, lang) as columns:
                write_streamed(target, lambda stream: write_xlsx(columns, stream))
                rows = columns.total
        else:
            table = knowledge_base(reader, catalogue, division, area.code, lang)
            write_atomically(target, render(table, chosen))
            rows = len(table.rows)
    console.print(f"Kirjoitettu {target} ({rows:,} riviä, {chosen.value}).")


def write_atomically(target: Path, content: bytes) -> None:
    """Write content beside target and rename it over target, so no half-written file shows."""
    write_streamed(target, lambda stream: stream.write(content))


def write_streamed(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Let write fill a file beside target, then rename it over target (no half-written file)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
