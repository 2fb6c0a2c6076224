"""`raketieto build-demo` and `raketieto show`: the demo cube and the terminal tilannekuva."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from raketieto.catalogue import load_catalogue
from raketieto.catalogue.cache import settings_catalogue
from raketieto.cli.context import console, settings_from
from raketieto.cli.format import comparison_text, format_change, format_value, trend_text
from raketieto.cli.regions import check_lang
from raketieto.cube.query import CubeReader
from raketieto.pipeline.demo import demo_cube_facts
from raketieto.pipeline.publish import publish_cube
from raketieto.regions import load_division
from raketieto.reports.situation import SituationalPicture, situational_picture


def build_demo() -> None:
    """Build the demo cube from the public data shipped with raketieto."""
    settings = settings_from()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("Luetaan luettelo ja aluejako", total=3)
        # Kept in the cache folder, so that the server started next need not parse it.
        catalogue = settings_catalogue(settings)
        division = load_division(settings.division_year)
        progress.update(
            task,
            advance=1,
            description="Muunnetaan aineistot nykyiseen aluejakoon; synteettinen asiakasaineisto",
        )
        facts = demo_cube_facts(catalogue, division)
        progress.update(task, advance=1, description="Rakennetaan kuutio")
        path = publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
        progress.update(task, advance=1, description="Valmis")
    console.print(
        f"Kuutio rakennettu: {path} ({len(facts):,} faktaa, aluejako {division.year}; "
        "asiakastiedot ovat synteettisiä)."
    )


def show(
    region: Annotated[str, typer.Option("--region", "-r", help="Alueen koodi tai nimi.")] = "SSS",
    year: Annotated[int | None, typer.Option("--year", help="Vuosi (oletus viimeisin).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Kieli: fi, sv tai en.")] = "fi",
) -> None:
    """Print the situational picture (tilannekuva) of one area."""
    lang = check_lang(lang)
    settings = settings_from()
    catalogue = load_catalogue(settings.catalogue_dir)
    division = load_division(settings.division_year)
    area = division.lookup(region)
    with CubeReader.open(settings) as reader:
        picture = situational_picture(reader, catalogue, division, area.code, year=year, lang=lang)
    render_picture(picture)


_HEAD = {
    "fi": ("Tilannekuva", "indikaattori", "vuosi", "arvo (95 % lv)", "koko maa", "vertailu",
           "muutos 1 v / 5 v", "suunta", "Ei tietoa tällä alueella", "salattu"),
    "sv": ("Lägesbild", "indikator", "år", "värde (95 % KI)", "hela landet", "jämförelse",
           "förändring 1 år / 5 år", "trend", "Inga uppgifter för området", "skyddad"),
    "en": ("Situational picture", "indicator", "year", "value (95 % CI)", "whole country",
           "comparison", "change 1 y / 5 y", "trend", "No data for this area", "suppressed"),
}  # fmt: skip
_SYNTHETIC = {
    "fi": "SYNTEETTINEN: osa luvuista on keksittyjä esimerkkiarvoja, ei oikeaa tietoa.",
    "sv": "SYNTETISK: en del av siffrorna är påhittade exempelvärden, inte verkliga uppgifter.",
    "en": "SYNTHETIC: some numbers are made-up examples, not real data.",
}


_NEAREST = {
    "fi": "Vuodelta {} ei ole tietoja tällä alueella; näytetään lähin vuosi: {}.",
    "sv": "Inga uppgifter för år {} i området; det närmaste året visas: {}.",
    "en": "No data for {} in this area; the nearest year is shown: {}.",
}


def render_picture(picture: SituationalPicture) -> None:
    """Render the picture as one compact table per phenomenon, gaps listed under it."""
    head = _HEAD[picture.lang]
    chain = " → ".join(r.name(picture.lang) for r in [*picture.ancestors, picture.region])
    console.rule(f"[bold]{head[0]}: {picture.region.name(picture.lang)}[/] ({picture.region.code})")
    console.print(chain)
    if picture.requested_year is not None:
        console.print(_NEAREST[picture.lang].format(picture.requested_year, picture.year))
    if picture.has_synthetic:
        console.print(f"[bold yellow]{_SYNTHETIC[picture.lang]}[/]")
    for block in picture.blocks:
        table = Table(title=block.label, title_justify="left", title_style="bold", expand=True)
        table.add_column(head[1], ratio=1)
        for name in head[2:8]:
            table.add_column(name, justify="right")
        gaps = []
        for row in block.indicators:
            if row.year is None:
                gaps.append(f"{row.label} ({row.missing_reason})")
                continue
            digits = row.decimals
            value = format_value(row.value, digits)
            if row.suppressed:
                value = f"{head[9]}: {row.suppression_reason}"
            elif row.ci_lower is not None and row.ci_upper is not None:
                value += (
                    f" ({format_value(row.ci_lower, digits)}–{format_value(row.ci_upper, digits)})"
                )
            label = row.label + (" [yellow](synteettinen)[/]" if row.synthetic else "")
            table.add_row(
                label,
                str(row.year),
                value,
                format_value(row.country_value, digits),
                comparison_text(row.comparison, picture.lang),
                f"{format_change(row.change_previous, digits)} / "
                f"{format_change(row.change_five_years, digits)}",
                trend_text(row.trend, picture.lang),
            )
        console.print(table)
        for gap in gaps:
            console.print(f"  [dim]{head[8]}: {gap}[/]")
    console.print(f"[dim]{picture.attribution}. Kuutio rakennettu {picture.built_at}.[/]")
