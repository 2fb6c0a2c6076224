"""`raketieto fetch`: refresh the cube from the open-data sources, with progress bars."""

from __future__ import annotations

import re
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

from raketieto.catalogue import load_catalogue
from raketieto.cli.context import console, error_console, settings_from
from raketieto.errors import NotFoundError, RaketietoError
from raketieto.pipeline.refresh import RefreshReport, refresh
from raketieto.regions import load_division
from raketieto.sources.base import ProgressEvent
from raketieto.sources.registry import available_sources

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
            raise RaketietoError(f"Vuosivälin '{part.strip()}' loppu on ennen alkua.")
        years.update(range(start, end + 1))
    return sorted(years)


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
) -> None:
    """Fetch indicators from the open-data sources and swap in a new cube if all arrived."""
    for name in source or []:
        if name.strip().lower() not in available_sources():
            raise NotFoundError("lähde", name, available_sources())
    wanted_years = parse_years(years)
    settings = settings_from()
    catalogue = load_catalogue(settings.catalogue_dir)
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
            sources=source or None,
            phenomenon=phenomenon,
            indicator=indicator,
            years=wanted_years,
            offline=offline,
            progress=_Bars(bars),
        )
    render_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_NOT_BUILT)


def render_report(report: RefreshReport) -> None:
    """Print the report: the new cube on success, each problem on failure."""
    lines = report.lines()
    target = console if report.ok else error_console
    for line in lines:
        target.print(line, highlight=False, markup=False)
