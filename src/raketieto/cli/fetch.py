"""`raketieto fetch`: refresh the cube from the open-data sources, with progress bars."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from raketieto.catalogue import Catalogue
from raketieto.catalogue.loader import load_catalogue
from raketieto.cli.context import console, error_console, settings_from
from raketieto.errors import NotFoundError, RaketietoError
from raketieto.pipeline.refresh import (
    RefreshReport,
    describe_selection,
    refresh,
    request_interval,
    select_indicators,
)
from raketieto.regions import load_division
from raketieto.settings import Settings
from raketieto.sources.base import ProgressEvent, Source
from raketieto.sources.cache import ResponseCache
from raketieto.sources.definitions import import_definitions
from raketieto.sources.http import HttpClient
from raketieto.sources.registry import available_sources, get_source
from raketieto.sources.sotkanet import SotkanetSource

app = typer.Typer(no_args_is_help=False, add_completion=False)

#: Exit code of a refresh that fetched but did not build (the previous cube stays live).
EXIT_NOT_BUILT = 3


def parse_years(text: str | None) -> list[int] | None:
    """'2015-2024', '2020' or '2018,2020-2022' as a sorted list of years; None for None."""
    if text is None or not text.strip():
        return None
    years: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if match is None:
            raise RaketietoError(
                f"Vuosiväli '{text}' ei kelpaa; odotettiin muotoa 2015-2024, 2020 "
                "tai 2018,2020-2022."
            )
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if end < start:
            raise RaketietoError(
                f"Vuosivälin '{part.strip()}' loppu on ennen alkua; odotettiin muotoa 2015-2024."
            )
        years.update(range(start, end + 1))
    return sorted(years)


def check_sources(names: list[str] | None) -> list[str] | None:
    """The source names in lower case; an unknown one raises NotFoundError listing the valid."""
    if not names:
        return None
    known = available_sources()
    for name in names:
        if name.strip().lower() not in known:
            raise NotFoundError("lähde", name, known)
    return [name.strip().lower() for name in names]


class _Bars:
    """One rich progress bar per source, fed by the sources' progress events."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, event: ProgressEvent) -> None:
        task = self.tasks.get(event.source)
        if task is None:
            task = self.progress.add_task(event.source, total=event.total)
            self.tasks[event.source] = task
        self.progress.update(
            task,
            completed=event.done,
            total=event.total,
            description=f"{event.source}: {event.label}",
        )


@app.command()
def fetch(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", "-s", help=f"Lähde ({', '.join(available_sources())}); toistettava."
        ),
    ] = None,
    phenomenon: Annotated[
        str | None, typer.Option("--phenomenon", "-p", help="Vain tämän ilmiön indikaattorit.")
    ] = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", "-i", help="Vain tämä indikaattori.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Käytä vain välimuistia; ei verkkoyhteyksiä.")
    ] = False,
    years: Annotated[
        str | None, typer.Option("--years", "-y", help="Vuodet, esim. 2015-2024 (oletus: kaikki).")
    ] = None,
    describe: Annotated[
        bool,
        typer.Option(
            "--describe",
            help="Näytä, mitä haettaisiin, mistä lähteestä ja onko tunniste tarkistettu; "
            "ei hae mitään.",
        ),
    ] = False,
    definitions: Annotated[
        Path | None,
        typer.Option(
            "--definitions",
            help="Hae valittujen Sotkanet-indikaattorien kuvaukset ja kirjoita niistä "
            "määritelmät (fi/sv/en) tähän kansioon tarkistettaviksi; luetteloa ei muuteta.",
        ),
    ] = None,
) -> None:
    """Hae indikaattorit avoimista lähteistä; uusi kuutio otetaan käyttöön vain, jos kaikki tuli."""
    sources = check_sources(source)
    wanted_years = parse_years(years)
    settings = settings_from()
    # Parsed, not kept: a refused or described fetch leaves nothing in the data folder.
    catalogue = load_catalogue(settings.catalogue_dir)
    # Bad names fail here, in one sentence, before any progress bar or request.
    select_indicators(catalogue, phenomenon=phenomenon, indicator=indicator)
    if describe:
        render_selection(settings, catalogue, sources, phenomenon, indicator)
        return
    if definitions is not None:
        write_definitions(settings, catalogue, definitions, phenomenon, indicator, offline)
        return
    division = load_division(settings.division_year)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bars:
        report = refresh(
            settings,
            catalogue,
            division,
            sources=sources,
            phenomenon=phenomenon,
            indicator=indicator,
            years=wanted_years,
            offline=offline,
            progress=_Bars(bars),
        )
    render_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_NOT_BUILT)


def render_selection(
    settings: Settings,
    catalogue: Catalogue,
    sources: list[str] | None,
    phenomenon: str | None,
    indicator: str | None,
) -> None:
    """Print what a fetch would ask for: source, key, and whether the key is verified."""
    planned = describe_selection(
        settings, catalogue, sources=sources, phenomenon=phenomenon, indicator=indicator
    )
    table = Table(title="Haettavat indikaattorit")
    for header in ("indikaattori", "lähde", "tunniste", "tila", "peruste"):
        table.add_column(header, overflow="fold")
    for item in planned:
        table.add_row(
            item.indicator_id,
            item.source or _no_source(item.kind),
            item.key,
            "tarkistettu" if item.verified else "TARKISTAMATTA",
            item.evidence,
        )
    console.print(table)
    for name in sorted({item.source for item in planned if item.source}):
        described = get_source(name, settings).describe()
        console.print(
            f"{name}: {described.organisation}; lisenssi {described.licence}; "
            f"{described.attribution}",
            highlight=False,
            markup=False,
        )
    unverified = sum(1 for item in planned if not item.verified)
    if unverified:
        console.print(
            f"{unverified} tunnistetta on tarkistamatta (TARKISTAMATTA): niitä ei ole vahvistettu "
            "tallennetulla metatietovastauksella.",
            highlight=False,
            markup=False,
        )


def sotkanet_for(settings: Settings) -> SotkanetSource:
    """The Sotkanet source for these settings (tests point it at a loopback server)."""
    source = get_source("sotkanet", settings)
    if not isinstance(source, SotkanetSource):
        raise RaketietoError("Lähde 'sotkanet' ei ole Sotkanet-lähde; tarkista lähderekisteri.")
    return source


def client_for(source: Source, settings: Settings) -> HttpClient:
    """A polite HTTP client for one source."""
    return HttpClient(min_interval=request_interval(source, settings))


def write_definitions(
    settings: Settings,
    catalogue: Catalogue,
    out_dir: Path,
    phenomenon: str | None,
    indicator: str | None,
    offline: bool,
) -> None:
    """Write reviewed-to-be definitions from Sotkanet's metadata; exit 3 if any failed."""
    source = sotkanet_for(settings)
    offered = set(source.offers(catalogue))
    chosen = [
        catalogue.indicators[i]
        for i in select_indicators(catalogue, phenomenon=phenomenon, indicator=indicator)
        if i in offered
    ]
    if not chosen:
        raise RaketietoError(
            f"Valinnassa ({indicator or phenomenon or 'kaikki'}) ei ole Sotkanetista haettavia "
            "indikaattoreita; --definitions hakee vain Sotkanet-tunnuksellisten kuvaukset."
        )
    cache = ResponseCache.for_source(settings, source.name, offline=offline)
    with client_for(source, settings) as client:
        report = import_definitions(chosen, out_dir, source=source, client=client, cache=cache)
    for path in report.written:
        console.print(f"Kirjoitettu {path}", highlight=False, markup=False)
    for problem in report.problems:
        error_console.print(f"  - {problem.describe()}", highlight=False, markup=False)
    console.print(
        f"{len(report.written)}/{len(chosen)} määritelmää kirjoitettu kansioon {out_dir}; "
        "tarkista ne ja kopioi luettelon indicators-kansioon, sitten "
        "`raketieto catalogue validate`.",
        highlight=False,
        markup=False,
    )
    if not report.ok:
        raise typer.Exit(EXIT_NOT_BUILT)


def _no_source(kind: str) -> str:
    if kind == "client_data":
        return "– (asiakastiedot, ei avoin lähde)"
    if kind in ("kela", "ara", "tem"):
        return "– (lataa CSV kansioon imports, ks. docs/sources.md)"
    return "– (mikään valituista lähteistä ei tarjoa)"


def render_report(report: RefreshReport) -> None:
    """Print the report: the new cube on success, each problem on failure."""
    lines = report.lines()
    target = console if report.ok else error_console
    for line in lines:
        target.print(line, highlight=False, markup=False)
