"""`raketieto values`: one indicator's time series for one area, with intervals and provenance."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from raketieto.catalogue import load_catalogue
from raketieto.cli.context import console, settings_from
from raketieto.cli.format import comparison_text, format_value
from raketieto.cli.regions import check_lang
from raketieto.cube.query import CubeReader
from raketieto.errors import YearNotAvailableError
from raketieto.numbers import optional_float
from raketieto.regions import load_division


def values(
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Indikaattorin tunniste.")],
    region: Annotated[str, typer.Option("--region", "-r", help="Alueen koodi tai nimi.")] = "SSS",
    year: Annotated[int | None, typer.Option("--year", help="Vain tämä vuosi.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Kieli: fi, sv tai en.")] = "fi",
) -> None:
    """Print one indicator's values for one area, year by year."""
    lang = check_lang(lang)
    settings = settings_from()
    catalogue = load_catalogue(settings.catalogue_dir)
    definition = catalogue.indicator(indicator)
    area = load_division(settings.division_year).lookup(region)
    with CubeReader.open(settings) as reader:
        rows = reader.facts(indicator_ids=[definition.id], region_codes=[area.code])
        if year is not None:
            available = reader.years(definition.id)
            if year not in available:
                raise YearNotAvailableError(year, available, subject=definition.id)
            rows = rows[rows["year"] == year]
    title = f"{definition.label.get(lang)} — {area.name(lang)} ({area.code})"
    table = Table(
        "vuosi", "arvo", "95 % lv", "osoittaja", "nimittäjä", "vertailu", "lähde", title=title
    )
    digits = definition.decimals
    for row in rows.itertuples():
        shown = "salattu" if row.suppressed else format_value(optional_float(row.value), digits)
        interval = ""
        if optional_float(row.ci_lower) is not None:
            low = format_value(optional_float(row.ci_lower), digits)
            interval = f"{low}–{format_value(optional_float(row.ci_upper), digits)}"
        table.add_row(
            str(row.year),
            shown + (" (synteettinen)" if row.synthetic else ""),
            interval,
            format_value(optional_float(row.numerator), 0),
            format_value(optional_float(row.denominator), 0),
            comparison_text(str(row.comparison), lang),
            " ".join(str(part) for part in (row.source, row.source_version) if part),
        )
    if rows.empty:
        console.print(f"{title}: ei tietoja tällä alueella.")
        return
    console.print(table)
