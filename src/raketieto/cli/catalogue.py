"""`raketieto catalogue`: validate the YAML definitions and list phenomena and indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from raketieto.catalogue import load_catalogue, validate_catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cli.context import console
from raketieto.errors import NotFoundError, RaketietoError

app = typer.Typer(no_args_is_help=True)

DirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="Luettelon kansio (oletus: paketin mukana tuleva luettelo)."),
]
LANGS = ("fi", "sv", "en")
_HEADERS = {
    "fi": (
        "tunniste",
        "ilmiö",
        "indikaattoreita",
        "pääindikaattorit",
        "teema",
        "indikaattori",
        "yksikkö",
        "lähde",
        "Ilmiöt",
        "* pääindikaattori; (?) tunniste tarkistamatta",
    ),
    "sv": (
        "id",
        "fenomen",
        "indikatorer",
        "huvudindikatorer",
        "tema",
        "indikator",
        "enhet",
        "källa",
        "Fenomen",
        "* huvudindikator; (?) id inte kontrollerat",
    ),
    "en": (
        "id",
        "phenomenon",
        "indicators",
        "headline indicators",
        "theme",
        "indicator",
        "unit",
        "source",
        "Phenomena",
        "* headline indicator; (?) id not verified",
    ),
}


@app.command("validate")
def validate(directory: DirOption = None) -> None:
    """Check every YAML file; print one line per problem (file:line: field: message)."""
    problems = validate_catalogue(directory)
    if problems:
        for problem in problems:
            console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        console.print(f"Luettelossa on {len(problems)} ongelmaa.", markup=False, highlight=False)
        raise typer.Exit(1)
    catalogue = load_catalogue(directory)
    unverified = sum(1 for i in catalogue.indicators.values() if not i.source.verified)
    console.print(
        f"Luettelo kunnossa: {len(catalogue.themes)} teemaa, {len(catalogue.phenomena)} ilmiötä, "
        f"{len(catalogue.indicators)} indikaattoria ({unverified} tunnistetta tarkistamatta).",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command("list")
def list_indicators(
    phenomenon: Annotated[
        str | None, typer.Option("--phenomenon", help="Ilmiön tunniste tai nimi.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Kieli: fi, sv tai en.")] = "fi",
    directory: DirOption = None,
) -> None:
    """List phenomena, or one phenomenon's indicators by generic theme."""
    if lang not in LANGS:
        raise NotFoundError("kieli", lang, LANGS)
    catalogue = load_catalogue(directory)
    (id_, name, count_, headline, theme, indicator_, unit, source, title, legend) = _HEADERS[lang]
    if phenomenon is None:
        table = Table(title=title)
        table.add_column(id_, overflow="fold")
        table.add_column(name)
        table.add_column(count_, justify="right")
        table.add_column(headline, overflow="fold")
        for item in catalogue.phenomena.values():
            count = sum(1 for i in catalogue.indicators.values() if item.id in i.phenomena())
            table.add_row(
                item.id, item.label.get(lang), str(count), "\n".join(item.headline_indicators)
            )
        console.print(table)
        return
    chosen = catalogue.phenomenon(phenomenon)
    table = Table(title=chosen.label.get(lang))
    table.add_column(theme)
    table.add_column(id_, overflow="fold")
    table.add_column(indicator_)
    table.add_column(unit)
    table.add_column(source)
    for theme_id, members in catalogue.indicators_for(chosen.id).items():
        theme_label = catalogue.themes[theme_id].label.get(lang)
        if not members:
            table.add_row(theme_label, "", "–", "", "")
        for n, indicator in enumerate(members):
            star = " *" if indicator.id in chosen.headline_indicators else ""
            table.add_row(
                theme_label if n == 0 else "",
                indicator.id + star,
                indicator.label.get(lang),
                indicator.unit.symbol(lang),
                _source_text(indicator),
            )
    console.print(table)
    console.print(legend, highlight=False, markup=False)


@app.command("coverage")
def coverage_command(
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Kirjoita sama taulukko CSV-tiedostoon.")
    ] = None,
) -> None:
    """Per phenomenon and level: newest real year and the share of headline cells with values."""
    from raketieto.cli.context import settings_from
    from raketieto.cube.query import CubeReader
    from raketieto.regions import load_division
    from raketieto.reports.coverage import (
        RECENT_YEAR,
        coverage,
        headline_without_any_data,
        write_csv,
    )

    settings = settings_from()
    catalogue = load_catalogue(settings.catalogue_dir)
    division = load_division(settings.division_year)
    with CubeReader.open(settings) as reader:
        rows = coverage(reader, catalogue, division)
        absent = headline_without_any_data(reader, catalogue)
    if csv_path is not None:
        if not csv_path.parent.is_dir():
            raise RaketietoError(
                f"CSV-tiedoston kansiota {csv_path.parent} ei ole; anna --csv-polku olemassa "
                "olevaan kansioon."
            )
        write_csv(rows, csv_path)
    table = Table(title="Kattavuus: oikeat (ei synteettiset) arvot kuutiossa")
    table.add_column("ilmiö", overflow="fold")
    table.add_column("taso")
    for name in ("uusin vuosi", "pääindikaattorisolut", "%", f"indikaattoreita ≥ {RECENT_YEAR}"):
        table.add_column(name, justify="right")
    table.add_column("pääindikaattorit ilman arvoja tällä tasolla", overflow="fold")
    for row in rows:
        table.add_row(
            row.phenomenon_id,
            row.level,
            str(row.newest_real_year or "–"),
            f"{row.headline_cells_with_value}/{row.headline_cells}",
            f"{row.headline_share_pct:.1f}",
            str(row.recent_real_indicators),
            row.headline_without_data or "–",
        )
    console.print(table)
    if absent:
        console.print("Pääindikaattorit, joilla ei ole oikeita arvoja kuutiossa:", markup=False)
        for phenomenon_id, indicator_id in absent:
            console.print(f"  {phenomenon_id}: {indicator_id}", markup=False, highlight=False)
    if csv_path is not None:
        console.print(f"CSV kirjoitettu: {csv_path}", markup=False, highlight=False)


def _source_text(indicator: Indicator) -> str:
    source = indicator.source
    key = source.sotkanet_id or source.statfin_table or source.rule or ""
    text = f"{source.kind} {key}".strip()
    return text if source.verified else f"{text} (?)"
