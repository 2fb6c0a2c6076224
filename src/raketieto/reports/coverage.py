"""How much real data the cube holds per phenomenon and level, headline indicators first."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Division, Level
from raketieto.reports.phenomenon import phenomenon_indicators

#: A value of this year or later counts as recent in the coverage table.
RECENT_YEAR = 2019
LEVELS = (Level.COUNTRY, Level.COLLABORATIVE_AREA, Level.COUNTY, Level.MUNICIPALITY)


@dataclass(frozen=True)
class CoverageRow:
    """One phenomenon on one level: newest real year and how many headline cells have values."""

    phenomenon_id: str
    level: str
    newest_real_year: int | None
    headline_cells: int
    headline_cells_with_value: int
    headline_share_pct: float
    recent_real_indicators: int
    headline_without_data: str

    @classmethod
    def columns(cls) -> list[str]:
        """The field names, in order (the CSV header)."""
        return [f.name for f in fields(cls)]


def real_values(reader: CubeReader) -> pd.DataFrame:
    """Real, unsuppressed facts with a value: indicator_id, region_code, level, year."""
    facts = reader.facts()
    shown = facts[~facts["synthetic"].astype(bool) & ~facts["suppressed"].astype(bool)]
    shown = shown[shown["value"].notna()]
    return shown.loc[:, ["indicator_id", "region_code", "level", "year"]]


def coverage(reader: CubeReader, catalogue: Catalogue, division: Division) -> list[CoverageRow]:
    """Every phenomenon × level of the catalogue, in catalogue order, from the cube's real values.

    A headline cell is one headline indicator in one area of the level, on the levels the
    indicator's source publishes; it has a real value when the area has a real, unsuppressed
    value of that indicator for any year. The population (every phenomenon's denominator) is
    not counted among the recent real indicators.
    """
    real = real_values(reader)
    rows = []
    for phenomenon in catalogue.phenomena.values():
        members = [
            i.id
            for i in phenomenon_indicators(catalogue, phenomenon.id)
            if i.source.kind != "population"
        ]
        for level in LEVELS:
            headline = [
                i for i in phenomenon.headline_indicators if level in catalogue.indicator(i).levels
            ]
            areas = {r.code for r in division.at_level(level)}
            here = real[(real["level"] == level.value) & real["region_code"].isin(areas)]
            own = here[here["indicator_id"].isin(members)]
            cells = here[here["indicator_id"].isin(headline)][["indicator_id", "region_code"]]
            filled = len(cells.drop_duplicates())
            total = len(headline) * len(areas)
            without = [i for i in headline if i not in set(cells["indicator_id"])]
            rows.append(
                CoverageRow(
                    phenomenon_id=phenomenon.id,
                    level=level.value,
                    newest_real_year=int(own["year"].max()) if not own.empty else None,
                    headline_cells=total,
                    headline_cells_with_value=filled,
                    headline_share_pct=round(100 * filled / total, 1) if total else 0.0,
                    recent_real_indicators=own.loc[own["year"] >= RECENT_YEAR, "indicator_id"]
                    .drop_duplicates()
                    .size,
                    headline_without_data=" ".join(without),
                )
            )
    return rows


def headline_without_any_data(reader: CubeReader, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(phenomenon, indicator) for every headline indicator with no real value in the cube."""
    present = set(real_values(reader)["indicator_id"])
    return [
        (p.id, i)
        for p in catalogue.phenomena.values()
        for i in p.headline_indicators
        if i not in present
    ]


def write_csv(rows: Sequence[CoverageRow], path: Path) -> None:
    """The same rows as CSV (UTF-8, comma, header), written whole or not at all."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CoverageRow.columns())
        for row in rows:
            writer.writerow(["" if v is None else v for v in astuple(row)])
    temporary.replace(path)
