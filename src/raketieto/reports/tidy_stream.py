"""Tidy values column-wise, straight from the cube: one page of /api/v1/values, or every row of
a values query a batch at a time for a streamed CSV or JSON-stat answer.

One number, one definition: the page's JSON rows, the streamed CSV and the streamed JSON-stat
all come from `ValueColumns`, made here by one SELECT per page or batch. Its rows equal
`select_values`' TidyRows (tested): the same facts (cube.query `shown_sql`), in the same order
(`SHOWN_ORDER`), with the same shown numbers (15 significant digits, nothing of a suppressed
cell), labels from the catalogue and the division. No Python object is made per row: a
column is a list, and a thousand-row page costs a few milliseconds instead of dozens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from raketieto.catalogue import Catalogue
from raketieto.cube.query import SHOWN_ORDER, CubeReader
from raketieto.regions import Division
from raketieto.reports.tidy import (
    COLUMNS,
    CheckedQuery,
    TidyRow,
    ValueQuery,
    check_query,
)

#: The numbers of a fact as every renderer shows them.
SHOWN_NUMBERS = ("value", "ci_lower", "ci_upper", "numerator", "denominator")
#: The columns read from the cube; the labels (area_name, level, indicator_label, unit) are
#: the catalogue's and the division's, added in Python once per distinct code.
CUBE_COLUMNS = tuple(
    c for c in COLUMNS if c not in ("area_name", "level", "indicator_label", "unit")
)


#: The columns that place a row in a grid (JSON-stat's dimensions), and what the cube calls them.
_SOURCE = {
    "indicator_id": "indicator_id",
    "area_code": "region_code",
    "year": "year",
    "sex": "sex",
    "age_group": "age_group",
}
_CELL_COLUMNS = tuple(_SOURCE)


def _shown_number(column: str) -> str:
    # tidy.excel_precision in SQL: 15 significant digits, NaN as missing, and nothing at all
    # of a suppressed cell (its counts would recover the hidden value).
    return (
        f"CASE WHEN suppressed OR isnan({column}) THEN NULL "
        f"ELSE CAST(printf('%.15g', {column}) AS DOUBLE) END AS {column}"
    )


_SELECT = ", ".join(
    [
        "region_code AS area_code",
        "indicator_id",
        "year",
        "sex",
        "age_group",
        *(_shown_number(c) for c in SHOWN_NUMBERS),
        "suppressed",
        "CASE WHEN suppressed THEN suppression_reason END AS suppression_reason",
        "CASE WHEN suppressed THEN 'not_compared' ELSE comparison END AS comparison",
        "source",
        "NULLIF(source_version, '') AS source_version",
        "retrieved_at",
        "synthetic",
        "NULLIF(note, '') AS note",
    ]
)


@dataclass(frozen=True)
class ValueColumns:
    """Tidy rows as columns: every name of tidy.COLUMNS to a list of equal length, holding
    what TidyRow holds (retrieved_at a UTC datetime or None)."""

    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.columns["area_code"])

    @property
    def has_synthetic(self) -> bool:
        """True when any row is synthetic."""
        return any(self.columns["synthetic"])

    def rows(self) -> list[TidyRow]:
        """The rows as TidyRow (for the writers of a TidyTable, and for tests)."""
        names = [self.columns[c] for c in COLUMNS]
        return [TidyRow(*values) for values in zip(*names, strict=True)]

    def json_rows(self) -> list[dict[str, Any]]:
        """The rows as exports.tablejson.row_json makes them (times as ISO 8601 UTC text)."""
        texts: dict[dt.datetime | None, str | None] = {None: None}
        moments = []
        for moment in self.columns["retrieved_at"]:
            if moment not in texts:
                texts[moment] = _iso_utc(moment)
            moments.append(texts[moment])
        names = [moments if c == "retrieved_at" else self.columns[c] for c in COLUMNS]
        return [dict(zip(COLUMNS, values, strict=True)) for values in zip(*names, strict=True)]


def _iso_utc(moment: dt.datetime) -> str:
    # exports.csv.iso_utc, which the core cannot import from exports; tested equal.
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


class ValueSelection:
    """A values query checked (every bad value raises before anything is read or written)
    and turned into one SELECT over the cube, read a page or a batch at a time."""

    def __init__(
        self, reader: CubeReader, catalogue: Catalogue, division: Division, query: ValueQuery
    ) -> None:
        self.checked: CheckedQuery = check_query(catalogue, division, query)
        self.lang = self.checked.lang
        self.title = self.checked.title
        self._reader = reader
        self._division = division
        self._chosen, self._params = self.checked.shown_sql(reader)
        self._labels = {
            i.id: (i.label.get(self.lang), i.unit.value) for i in self.checked.indicators
        }
        self._areas: dict[str, tuple[str, str]] = {}

    @property
    def built_at(self) -> str:
        """When the cube was built, as its metadata says (empty when it does not)."""
        return str(self._reader.meta().get("built_at", ""))

    @property
    def division_year(self) -> int:
        """The year of the regional division the areas belong to."""
        return self._division.year

    def indicator_label(self, indicator_id: str) -> str:
        """The label of one of the chosen indicators, in the selection's language."""
        return self._labels[indicator_id][0]

    def area_name(self, code: str) -> str:
        """The name of an area of the division, in the selection's language."""
        return self._division.get(code).name(self.lang)

    def _select(self) -> str:
        return f"SELECT {_SELECT} FROM ({self._chosen}) ORDER BY {SHOWN_ORDER}"

    def page(self, offset: int, limit: int) -> tuple[ValueColumns, int]:
        """Rows offset .. offset + limit - 1, and how many rows there are in all.

        The page is cut from the raw facts first and only its rows get their shown numbers
        (printf over every matching fact cost more than the sort); the count is asked only
        when the page does not tell it (a full page, or one past the end).
        """
        cut = (
            f"SELECT {_SELECT} FROM (SELECT * FROM ({self._chosen}) ORDER BY {SHOWN_ORDER} "
            f"LIMIT {int(limit)} OFFSET {int(offset)}) ORDER BY {SHOWN_ORDER}"
        )
        cursor = self._reader.cursor()
        try:
            found = cursor.sql(cut, params=self._params).to_arrow_table()
            if 0 < found.num_rows < limit:
                total = offset + found.num_rows
            else:
                row = cursor.execute(f"SELECT count(*) FROM ({self._chosen})", self._params)
                counted = row.fetchone()
                total = int(counted[0]) if counted else 0
        finally:
            cursor.close()
        return self._columns(found), total

    def total(self) -> tuple[int, bool]:
        """How many rows there are in all, and whether any of them is synthetic."""
        cursor = self._reader.cursor()
        try:
            row = cursor.execute(
                f"SELECT count(*), coalesce(bool_or(synthetic), false) FROM ({self._chosen})",
                self._params,
            ).fetchone()
        finally:
            cursor.close()
        return (int(row[0]), bool(row[1])) if row else (0, False)

    def batches(self, batch_rows: int = 20_000) -> Iterator[ValueColumns]:
        """Every row in order, batch_rows at a time: memory is bounded by a batch."""
        cursor = self._reader.cursor()
        try:
            reader = cursor.sql(self._select(), params=self._params).to_arrow_reader(batch_rows)
            for batch in reader:
                if batch.num_rows:
                    yield self._columns(batch)
        finally:
            cursor.close()

    def first_seen(self, columns: Sequence[str]) -> dict[str, list[Any]]:
        """Per column, its distinct values in the order the rows first show them."""
        parts = []
        for column in columns:
            if column not in _CELL_COLUMNS:
                raise ValueError(f"{column!r} is not a cell column ({', '.join(_CELL_COLUMNS)})")
            parts.append(
                f"SELECT '{column}' AS d, CAST({column} AS VARCHAR) AS v, min(_n) AS n "
                f"FROM ordered GROUP BY {column}"
            )
        if not parts:
            return {}
        cursor = self._reader.cursor()
        try:
            found = cursor.execute(
                f"WITH ordered AS (SELECT region_code AS area_code, indicator_id, year, sex, "
                f"age_group, row_number() OVER (ORDER BY {SHOWN_ORDER}) AS _n "
                f"FROM ({self._chosen})) " + " UNION ALL ".join(parts) + " ORDER BY d, n",
                self._params,
            ).fetchall()
        finally:
            cursor.close()
        seen: dict[str, list[Any]] = {c: [] for c in columns}
        for column, value, _ in found:
            seen[column].append(int(value) if column == "year" else value)
        return seen

    def cells(
        self, positions: dict[str, list[Any]], *, by_cell: bool, batch_rows: int = 20_000
    ) -> Iterator[tuple[list[int], ValueColumns]]:
        """Every row with its cell number in the row-major grid of positions (each column's
        values in grid order; every row's value must be among them), a batch at a time, in
        the rows' order or (by_cell) in the cells' order."""
        number = "0"
        for column, values in positions.items():
            if column not in _CELL_COLUMNS:
                raise ValueError(f"{column!r} is not a cell column ({', '.join(_CELL_COLUMNS)})")
            number = f"({number}) * {len(values)} + _p_{column}._i"
        joins = " ".join(
            f"JOIN _p_{c} ON _p_{c}._k = CAST({_SOURCE[c]} AS VARCHAR)" for c in positions
        )
        order = "_cell" if by_cell else SHOWN_ORDER
        cursor = self._reader.cursor()
        try:
            for column, values in positions.items():
                cursor.register(
                    f"_p_{column}",
                    pa.table(
                        {
                            "_k": pa.array([str(v) for v in values], pa.string()),
                            "_i": pa.array(range(len(values)), pa.int64()),
                        }
                    ),
                )
            select = (
                f"SELECT {_SELECT}, CAST({number} AS BIGINT) AS _cell "
                f"FROM ({self._chosen}) {joins} ORDER BY {order}"
            )
            reader = cursor.sql(select, params=self._params).to_arrow_reader(batch_rows)
            for batch in reader:
                if batch.num_rows:
                    yield batch.column("_cell").to_pylist(), self._columns(batch)
        finally:
            cursor.close()

    def _columns(self, found: Any) -> ValueColumns:
        # found: an Arrow table or record batch (pyarrow has no type hints).
        columns: dict[str, list[Any]] = {c: found.column(c).to_pylist() for c in CUBE_COLUMNS}
        codes, ids = columns["area_code"], columns["indicator_id"]
        for code in set(codes) - self._areas.keys():
            region = self._division.get(code)
            self._areas[code] = (region.name(self.lang), region.level.value)
        areas = [self._areas[c] for c in codes]
        labels = [self._labels[i] for i in ids]
        columns["area_name"] = [a[0] for a in areas]
        columns["level"] = [a[1] for a in areas]
        columns["indicator_label"] = [label[0] for label in labels]
        columns["unit"] = [label[1] for label in labels]
        # The cube keeps UTC moments without a zone; a handful of distinct ones.
        zoned: dict[dt.datetime | None, dt.datetime | None] = {None: None}
        moments = []
        for moment in columns["retrieved_at"]:
            if moment not in zoned:
                zoned[moment] = moment.replace(tzinfo=dt.UTC)
            moments.append(zoned[moment])
        columns["retrieved_at"] = moments
        return ValueColumns({c: columns[c] for c in COLUMNS})
