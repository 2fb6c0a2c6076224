"""How old the numbers a page shows are, which extract they come from, and which are synthetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from raketieto.cube.query import CubeReader
from raketieto.reports.cells import Cell
from raketieto.reports.indicator_page import ProvenanceEntry

#: A page whose newest real value ended more than this many years before today says so.
STALE_AFTER_YEARS = 3


@dataclass(frozen=True)
class Shown:
    """One cell a page shows, with the indicator and area that find it in the cube."""

    indicator_id: str
    region_code: str
    cell: Cell


@dataclass(frozen=True)
class Extract:
    """One source extract behind the newest real values of a page."""

    source: str
    source_version: str | None
    retrieved_at: dt.datetime | None


@dataclass(frozen=True)
class Vintage:
    """The newest real (not synthetic) year a page shows, its extracts, and the synthetic years."""

    newest_year: int | None
    extracts: tuple[Extract, ...]
    synthetic_years: tuple[int, ...]

    @property
    def has_synthetic(self) -> bool:
        """True when the page shows any synthetic value."""
        return bool(self.synthetic_years)

    def is_stale(self, today: dt.date) -> bool:
        """True when the newest real value's year ended over three years before today.

        A page with synthetic values only has no real vintage to be stale; its synthetic
        label says what matters.
        """
        if self.newest_year is None:
            return False
        return dt.date(self.newest_year + STALE_AFTER_YEARS, 12, 31) < today


def nearest_year(years: Sequence[int], wanted: int) -> int | None:
    """The year of years closest to wanted (the later one on a tie), or None when empty."""
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - wanted), -y))


def vintage(reader: CubeReader, shown: Iterable[Shown]) -> Vintage:
    """The vintage of the cells a page shows; the extracts are read for the newest real year."""
    real: dict[int, set[tuple[str, str]]] = {}
    synthetic: set[int] = set()
    for item in shown:
        cell = item.cell
        if not cell.shown:
            continue
        if cell.synthetic:
            synthetic.add(cell.year)
        else:
            real.setdefault(cell.year, set()).add((item.indicator_id, item.region_code))
    if not real:
        return Vintage(None, (), tuple(sorted(synthetic)))
    newest = max(real)
    keys = real[newest]
    extracts = reader.extracts(sorted({i for i, _ in keys}), sorted({r for _, r in keys}), newest)
    return Vintage(
        newest,
        tuple(Extract(str(s), str(v) if v else None, r) for s, v, r in extracts),
        tuple(sorted(synthetic)),
    )


def provenance_vintage(entries: Sequence[ProvenanceEntry]) -> Vintage:
    """The vintage of an indicator's facts in the cube, from its definition page's provenance.

    An entry whose facts are all synthetic counts as synthetic; the others are real.
    """
    real = [e for e in entries if e.synthetic_facts < e.facts]
    synthetic = sorted(
        {y for e in entries if e.synthetic_facts for y in range(e.first_year, e.last_year + 1)}
    )
    if not real:
        return Vintage(None, (), tuple(synthetic))
    newest = max(e.last_year for e in real)
    extracts = tuple(
        Extract(e.source, e.source_version, e.retrieved_at) for e in real if e.last_year == newest
    )
    return Vintage(newest, extracts, tuple(synthetic))
