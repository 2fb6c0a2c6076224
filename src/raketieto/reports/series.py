"""Time series of one indicator for a few areas, the data behind every trend chart."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.cube.memory import FactIndex
from raketieto.regions import Region
from raketieto.reports.cells import Cell, cell_from_fact


@dataclass(frozen=True)
class AreaSeries:
    """One area's values of one indicator, oldest year first."""

    region_code: str
    region_name: str
    level: str
    points: list[Cell]


def area_series(
    index: FactIndex,
    indicator_id: str,
    regions: list[Region],
    lang: str = "fi",
    *,
    up_to: int | None = None,
) -> list[AreaSeries]:
    """The series of indicator_id for each of regions from the cube's index, up to a year."""
    return [
        AreaSeries(
            region.code,
            region.name(lang),
            region.level.value,
            [cell_from_fact(f) for f in index.shown(indicator_id, region.code, up_to=up_to)],
        )
        for region in regions
    ]
