"""The cube's shown facts held in memory, indexed by indicator, area, sex and age group.

The views ask many small questions of one read-only cube (one area's series of one indicator,
the areas of a level in one year). Answering each from DuckDB through a DataFrame costs
milliseconds of conversion; answering it from this index costs microseconds. The index keeps
only the columns the views read, about 200 bytes a fact, and is built once per cube.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import duckdb

# The key first, then exactly the fields of Fact in their order; NaN is read as NULL.
_NUMBERS = ("numerator", "denominator", "value", "ci_lower", "ci_upper")
_SELECT = ", ".join(
    [
        "indicator_id",
        "region_code",
        "year",
        "sex",
        "age_group",
        *(f"IF(isnan({c}), NULL, {c}) AS {c}" for c in _NUMBERS),
        "comparison",
        "suppressed",
        "suppression_reason",
        "synthetic",
    ]
)

_EMPTY: Mapping[int, Fact] = MappingProxyType({})
_NO_BREAKDOWNS: Mapping[tuple[str, str], Mapping[int, Fact]] = MappingProxyType({})


class Fact(NamedTuple):
    """One fact of the cube as the views read it; missing numbers are None, never NaN.

    A named tuple, because the index builds one per fact and a tuple is built several times
    faster than a frozen dataclass.
    """

    year: int
    sex: str
    age_group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    comparison: str
    suppressed: bool
    suppression_reason: str | None
    synthetic: bool

    @property
    def shown(self) -> bool:
        """True when there is a value or a suppression to show (not a plain gap)."""
        return self.value is not None or self.suppressed


class FactIndex:
    """Every fact of one cube by (indicator, area) and then (sex, age group) and year."""

    def __init__(self, rows: list[tuple[object, ...]], meta: Mapping[str, str]) -> None:
        by_area: dict[tuple[str, str], dict[tuple[str, str], dict[int, Fact]]] = {}
        years: set[int] = set()
        for row in rows:
            fact = Fact._make(row[2:])
            area = by_area.setdefault((str(row[0]), str(row[1])), {})
            area.setdefault((fact.sex, fact.age_group), {})[fact.year] = fact
            if fact.value is not None:
                years.add(fact.year)
        self._by_area = by_area
        self.indicator_ids: frozenset[str] = frozenset(i for i, _ in by_area)
        self.years: list[int] = sorted(years)
        self.meta: Mapping[str, str] = MappingProxyType(dict(meta))

    @classmethod
    def load(cls, connection: duckdb.DuckDBPyConnection) -> FactIndex:
        """Read every fact of the cube behind connection, oldest year first in each series."""
        cursor = connection.cursor()
        try:
            rows = cursor.execute(
                f"SELECT {_SELECT} FROM facts "
                "ORDER BY indicator_id, region_code, sex, age_group, year"
            ).fetchall()
            meta = {
                str(k): str(v) for k, v in cursor.execute("SELECT key, value FROM meta").fetchall()
            }
        finally:
            cursor.close()
        return cls(rows, meta)

    def by_year(
        self,
        indicator_id: str,
        region_code: str,
        sex: str = "total",
        age_group: str = "total",
    ) -> Mapping[int, Fact]:
        """The facts of one series by year, oldest first (empty when the cube has none)."""
        return self._by_area.get((indicator_id, region_code), _NO_BREAKDOWNS).get(
            (sex, age_group), _EMPTY
        )

    def shown(
        self,
        indicator_id: str,
        region_code: str,
        *,
        up_to: int | None = None,
        sex: str = "total",
        age_group: str = "total",
    ) -> list[Fact]:
        """The series' facts with a value or a suppression, oldest first, up to a year."""
        return [
            f
            for f in self.by_year(indicator_id, region_code, sex, age_group).values()
            if f.shown and (up_to is None or f.year <= up_to)
        ]

    def at(
        self,
        indicator_id: str,
        region_code: str,
        year: int,
        sex: str = "total",
        age_group: str = "total",
    ) -> Fact | None:
        """The fact of one series in one year, or None."""
        return self.by_year(indicator_id, region_code, sex, age_group).get(year)

    def breakdowns(
        self, indicator_id: str, region_code: str
    ) -> Mapping[tuple[str, str], Mapping[int, Fact]]:
        """Every (sex, age group) series of one indicator in one area."""
        return self._by_area.get((indicator_id, region_code), _NO_BREAKDOWNS)
