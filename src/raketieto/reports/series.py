"""Time series of one indicator for a few areas, the data behind every trend chart."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from raketieto.regions import Region
from raketieto.reports.cells import Cell, cell_from_row, cell_records


@dataclass(frozen=True)
class AreaSeries:
    """One area's values of one indicator, oldest year first."""

    region_code: str
    region_name: str
    level: str
    points: list[Cell]


def series_from_facts(
    facts: pd.DataFrame, indicator_id: str, regions: list[Region], lang: str = "fi"
) -> list[AreaSeries]:
    """The series of indicator_id for each of regions, from facts that hold their rows."""
    mine = facts[facts["indicator_id"] == indicator_id].sort_values("year", kind="stable")
    by_region: dict[str, list[Cell]] = {}
    for r in cell_records(mine, "region_code"):
        if r["suppressed"] or pd.notna(r["value"]):
            by_region.setdefault(str(r["region_code"]), []).append(cell_from_row(r))
    return [
        AreaSeries(
            region.code, region.name(lang), region.level.value, by_region.get(region.code, [])
        )
        for region in regions
    ]
