"""`raketieto regions`: look up areas and list a level."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from raketieto.cli.context import console
from raketieto.errors import NotFoundError
from raketieto.regions import Level, load_division

app = typer.Typer(no_args_is_help=True)

LangOption = Annotated[str, typer.Option("--lang", help="Kieli: fi, sv tai en.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Aluejaon vuosi (oletus uusin).")]


def check_lang(lang: str) -> str:
    """The language code, or a clear error naming the bad one."""
    if lang not in ("fi", "sv", "en"):
        raise NotFoundError("kieli", lang, ["fi", "sv", "en"])
    return lang


@app.command("show")
def show(
    query: Annotated[str, typer.Argument(help="Aluekoodi tai nimi, esim. 'Mäntyharju' tai HVA13.")],
    year: YearOption = None,
    lang: LangOption = "fi",
) -> None:
    """Show one area: code, names, parent chain and children."""
    lang = check_lang(lang)
    division = load_division(year)
    region = division.lookup(query)
    console.print(f"[bold]{region.name(lang)}[/] ({region.code}, {region.level.label(lang)})")
    console.print("  " + " / ".join(f"{lang_}: {name}" for lang_, name in region.names.items()))
    chain = [*division.ancestors(region.code), region]
    console.print("  " + " → ".join(r.name(lang) for r in chain))
    children = division.children(region.code)
    if children:
        console.print(
            f"  {len(children)} alempaa aluetta: " + ", ".join(c.name(lang) for c in children)
        )


@app.command("list")
def list_level(
    level: Annotated[
        str, typer.Option("--level", help="country, yta, hva tai municipality.")
    ] = "hva",
    year: YearOption = None,
    lang: LangOption = "fi",
) -> None:
    """List every area on one level."""
    lang = check_lang(lang)
    try:
        chosen = Level(level)
    except ValueError:
        raise NotFoundError("aluetaso", level, [lv.value for lv in Level]) from None
    division = load_division(year)
    table = Table("koodi", "nimi", "ylempi alue", title=f"{chosen.label(lang)} ({division.year})")
    for region in division.at_level(chosen):
        parent = division.parent(region.code)
        table.add_row(region.code, region.name(lang), parent.name(lang) if parent else "")
    console.print(table)
