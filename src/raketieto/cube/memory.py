"""The cube's facts for the views, read per indicator on first use and held as columns.

The views ask many small questions of one read-only cube (one area's series of one indicator,
the areas of a level in one year). Answering each from DuckDB through a DataFrame costs
milliseconds; answering it from memory costs microseconds. A national cube (tens of millions
of facts) does not fit in memory as one Python object per fact, so the index reads an
indicator's facts only when it is first asked about, keeps them as numpy columns (about 50
bytes a fact) sorted by area, sex, age group and year, and builds `Fact` tuples only for the
series a caller asks for. The least recently used indicators are dropped beyond `max_facts`.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import repeat
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from raketieto.cube.schema import SUMMARY_TABLE
from raketieto.cube.store import connect_read_only, cursor_of

#: Columns of one indicator's facts as the index reads them, in this order.
_COLUMNS = (
    "region_code",
    "sex",
    "age_group",
    "year",
    "numerator",
    "denominator",
    "value",
    "ci_lower",
    "ci_upper",
    "comparison",
    "suppressed",
    "suppression_reason",
    "synthetic",
)
_NUMBERS = ("numerator", "denominator", "value", "ci_lower", "ci_upper")
_SERIES_ORDER = "region_code, sex, age_group, year"
_ROW_TAIL = ", ".join(_COLUMNS[4:])
#: Facts kept in memory at most (about 50 bytes each) before indicators are dropped again.
MAX_FACTS = 5_000_000

_NO_BREAKDOWNS: Mapping[tuple[str, str], Mapping[int, Fact]] = MappingProxyType({})


class Fact(NamedTuple):
    """One fact of the cube as the views read it; missing numbers are None, never NaN.

    A named tuple, because the index builds one per fact asked for and a tuple is built
    several times faster than a frozen dataclass.
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


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str | None]]:
    """Dictionary codes (int32) and the distinct values of a text column."""
    encoded = column.dictionary_encode()
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    labels: list[str | None] = [*encoded.dictionary.to_pylist(), None]  # -1 is NULL
    return indices, labels


def _nones(values: list[float]) -> list[float | None]:
    return [None if v != v else v for v in values]  # NaN (and NULL read as NaN) is None


#: Fact(*row) without the keyword handling of the named tuple's constructor (twice as fast).
_new_fact = partial(tuple.__new__, Fact)


class _IndicatorFacts:
    """One indicator's facts as columns, sorted by area, sex, age group and year."""

    def __init__(self, table: pa.Table) -> None:
        self.size: int = table.num_rows
        region, region_labels = _codes(table.column("region_code"))
        sex, sex_labels = _codes(table.column("sex"))
        age, age_labels = _codes(table.column("age_group"))
        self.year = table.column("year").to_numpy().astype(np.int32)
        self.numbers = [
            table.column(n).cast(pa.float64()).to_numpy(zero_copy_only=False) for n in _NUMBERS
        ]
        # Columns without any number, or with every number, need no NaN test per fact.
        missing = [np.isnan(column) for column in self.numbers]
        self._empty = [bool(m.all()) for m in missing]
        self._whole = [not m.any() for m in missing]
        self.comparison, self.comparison_labels = _codes(table.column("comparison"))
        self.reason, self.reason_labels = _codes(table.column("suppression_reason"))
        self.suppressed = table.column("suppressed").to_numpy(zero_copy_only=False).astype(bool)
        self.synthetic = table.column("synthetic").to_numpy(zero_copy_only=False).astype(bool)
        # A series starts wherever the area, the sex or the age group changes.
        changed = np.ones(self.size, dtype=bool)
        if self.size:
            changed[1:] = (
                (region[1:] != region[:-1]) | (sex[1:] != sex[:-1]) | (age[1:] != age[:-1])
            )
        starts = np.flatnonzero(changed).tolist()
        stops = [*starts[1:], self.size]
        self.series: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}
        for start, stop in zip(starts, stops, strict=True):
            key = (str(sex_labels[sex[start]]), str(age_labels[age[start]]))
            self.series.setdefault(str(region_labels[region[start]]), {})[key] = (start, stop)
        # The series asked for, as Fact tuples by first row: what is asked again is free.
        self._built: dict[int, dict[int, Fact]] = {}
        self.value_years = {int(y) for y in np.unique(self.year[~np.isnan(self.numbers[2])])}

    def facts(self, sex: str, age_group: str, start: int, stop: int) -> dict[int, Fact]:
        """The facts of one series by year (rows start:stop), built once and then kept."""
        kept = self._built.get(start)
        if kept is None:
            kept = self._built[start] = self._build(sex, age_group, start, stop)
        return kept

    def _build(self, sex: str, age_group: str, start: int, stop: int) -> dict[int, Fact]:
        years = self.year[start:stop].tolist()
        numbers = [
            [None] * (stop - start) if empty else part if whole else _nones(part)
            for column, empty, whole in zip(self.numbers, self._empty, self._whole, strict=True)
            for part in (column[start:stop].tolist(),)
        ]
        labels = self.comparison_labels
        comparisons = [labels[c] for c in self.comparison[start:stop].tolist()]
        reasons = [self.reason_labels[c] for c in self.reason[start:stop].tolist()]
        rows = zip(
            years,
            repeat(sex),
            repeat(age_group),
            *numbers,
            comparisons,
            self.suppressed[start:stop].tolist(),
            reasons,
            self.synthetic[start:stop].tolist(),
        )
        return dict(zip(years, map(_new_fact, rows), strict=True))

    def one(self, sex: str, age_group: str, start: int, stop: int, year: int) -> Fact | None:
        """The fact of one series in one year, or None."""
        kept = self._built.get(start)
        if kept is not None:
            return kept.get(year)
        at = start + int(np.searchsorted(self.year[start:stop], year))
        if at >= stop or self.year[at] != year:
            return None
        return self._build(sex, age_group, at, at + 1)[year]


def _table_from_rows(rows: Sequence[tuple[object, ...]]) -> pa.Table:
    """Rows in the order indicator_id + _COLUMNS, as an Arrow table sorted for the index."""
    ordered = sorted(rows, key=lambda r: (str(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]))
    names = ("indicator_id", *_COLUMNS)
    columns = {name: [r[i] for r in ordered] for i, name in enumerate(names)}
    types = {name: pa.string() for name in names} | {name: pa.float64() for name in _NUMBERS}
    types |= {"year": pa.int32(), "suppressed": pa.bool_(), "synthetic": pa.bool_()}
    return pa.table({n: pa.array(v, type=types[n]) for n, v in columns.items()})


def has_summary(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the cube behind connection has its build-time summary table."""
    row = connection.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE database_name = current_database() AND table_name = ?",
        [SUMMARY_TABLE],
    ).fetchone()
    return bool(row and row[0])


def _attached_read_only(cursor: duckdb.DuckDBPyConnection) -> bool:
    row = cursor.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


#: Indicators read by one query while preloading.
_PRELOAD_BATCH = 64


def _split_by_indicator(table: pa.Table) -> dict[str, pa.Table]:
    """The rows of a table sorted by indicator_id, per indicator, without that column."""
    ids, labels = _codes(table.column("indicator_id"))
    rest = table.drop_columns(["indicator_id"])
    changed = np.ones(len(ids), dtype=bool)
    changed[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(changed).tolist()
    stops = [*starts[1:], len(ids)]
    return {str(labels[ids[a]]): rest.slice(a, b - a) for a, b in zip(starts, stops, strict=True)}


class FactIndex:
    """Every fact of one cube by (indicator, area) and then (sex, age group) and year."""

    #: Indicators with at least one fact, and the years with at least one value.
    indicator_ids: frozenset[str]
    years: list[int]
    meta: Mapping[str, str]
    #: Whether the cube has its build-time summary table (None: an index over given rows).
    summarised: bool | None = None
    _kept_facts: int

    def __init__(
        self, rows: Sequence[tuple[object, ...]], meta: Mapping[str, str], *, max_facts: int = 0
    ) -> None:
        """An index over rows given in memory: (indicator_id, region_code, year, sex,
        age_group, numerator, denominator, value, ci_lower, ci_upper, comparison, suppressed,
        suppression_reason, synthetic), in any order."""
        self._setup(meta, lambda _: None, max_facts=max_facts)
        keyed = [(r[0], r[1], r[3], r[4], r[2], *r[5:]) for r in rows]
        table = _table_from_rows(keyed)
        ids = table.column("indicator_id").to_pylist()
        starts = [i for i in range(len(ids)) if i == 0 or ids[i] != ids[i - 1]]
        for start, stop in zip(starts, [*starts[1:], len(ids)], strict=True):
            self._loaded[str(ids[start])] = _IndicatorFacts(table.slice(start, stop - start))
        self._kept_facts = sum(f.size for f in self._loaded.values())
        self.indicator_ids = frozenset(self._loaded)
        self.years = sorted(set().union(*(f.value_years for f in self._loaded.values())))

    def _setup(
        self,
        meta: Mapping[str, str],
        read: Callable[[str], pa.Table | None],
        *,
        max_facts: int,
        indicator_ids: frozenset[str] = frozenset(),
        years: Sequence[int] = (),
    ) -> None:
        self._read = read
        self._read_many: Callable[[Sequence[str]], pa.Table] | None = None
        self._max_facts = max_facts
        self._loaded: OrderedDict[str, _IndicatorFacts] = OrderedDict()
        # The facts in _loaded, kept up to date by _keep: summing them on every read made a
        # page of thousands of indicators quadratic.
        self._kept_facts = 0
        self._lock = threading.Lock()
        self.indicator_ids = indicator_ids
        self.years = sorted(years)
        self.meta = MappingProxyType(dict(meta))

    @classmethod
    def load(cls, connection: duckdb.DuckDBPyConnection, max_facts: int = MAX_FACTS) -> FactIndex:
        """An index over the cube behind connection; an indicator's facts are read when first
        asked for, and the least recently used are dropped beyond max_facts (0: never)."""
        cursor = cursor_of(connection)
        try:
            meta = {
                str(k): str(v) for k, v in cursor.execute("SELECT key, value FROM meta").fetchall()
            }
            # The build-time summary answers both without a scan of every fact.
            summarised = has_summary(cursor)
            source = SUMMARY_TABLE if summarised else "facts"
            test = "with_number" if summarised else "value IS NOT NULL AND NOT isnan(value)"
            ids = frozenset(
                str(r[0])
                for r in cursor.execute(f"SELECT DISTINCT indicator_id FROM {source}").fetchall()
            )
            years = [
                int(r[0])
                for r in cursor.execute(
                    f"SELECT DISTINCT year FROM {source} WHERE {test}"
                ).fetchall()
            ]
            where = cursor.execute(
                "SELECT path, current_setting('access_mode') FROM duckdb_databases() "
                "WHERE database_name = current_database()"
            ).fetchone()
            if where is None or not where[0]:
                # An in-memory cube cannot be opened again: read it all now.
                rows = cursor.execute(
                    f"SELECT indicator_id, region_code, year, sex, age_group, {_ROW_TAIL} "
                    "FROM facts"
                ).fetchall()
                return cls(rows, meta)
            # The index opens the file itself, so that it outlives the connection it was
            # given (a CLI reader closes its own; the web app's is renewed on a swap). While
            # that connection is open this shares its database, so it reads the same file.
            own = (
                connect_read_only(Path(where[0]))
                if where[1] == "read_only" or _attached_read_only(cursor)
                else duckdb.connect(str(where[0]))
            )
        finally:
            cursor.close()
        select = f"SELECT {', '.join(_COLUMNS)} FROM facts WHERE indicator_id = ? "
        sql = select + f"ORDER BY {_SERIES_ORDER}"

        def read(indicator_id: str) -> pa.Table | None:
            reader = cursor_of(own)
            try:
                return reader.sql(sql, params=[indicator_id]).to_arrow_table()
            finally:
                reader.close()

        def read_many(indicator_ids: Sequence[str]) -> pa.Table:
            # One query for many indicators: each query has a fixed cost of a few ms, which
            # on a national cube's warm-up (a thousand indicators) was most of the start-up.
            marks = ", ".join("?" * len(indicator_ids))
            reader = cursor_of(own)
            try:
                return reader.sql(
                    f"SELECT indicator_id, {', '.join(_COLUMNS)} FROM facts "
                    f"WHERE indicator_id IN ({marks}) ORDER BY indicator_id, {_SERIES_ORDER}",
                    params=list(indicator_ids),
                ).to_arrow_table()
            finally:
                reader.close()

        index = cls.__new__(cls)
        index._setup(meta, read, max_facts=max_facts, indicator_ids=ids, years=years)
        index._read_many = read_many
        index.summarised = summarised
        return index

    def _facts_of(self, indicator_id: str) -> _IndicatorFacts | None:
        if indicator_id not in self.indicator_ids:
            return None
        with self._lock:
            found = self._loaded.get(indicator_id)
            if found is not None:
                self._loaded.move_to_end(indicator_id)
                return found
            # Read under the lock: concurrent first requests for one indicator read it once.
            table = self._read(indicator_id)
            if table is None:
                return None
            return self._keep(indicator_id, table)

    def _keep(self, indicator_id: str, table: pa.Table) -> _IndicatorFacts:
        # Called holding the lock.
        replaced = self._loaded.pop(indicator_id, None)
        if replaced is not None:
            self._kept_facts -= replaced.size
        found = self._loaded[indicator_id] = _IndicatorFacts(table)
        self._kept_facts += found.size
        if self._max_facts:
            while self._kept_facts > self._max_facts and len(self._loaded) > 1:
                _, dropped = self._loaded.popitem(last=False)
                self._kept_facts -= dropped.size
        return found

    def prefetch(self, indicator_ids: Iterable[str]) -> None:
        """Read those of the indicators not in memory yet, many to a query, before a page
        asks for them one by one (a phenomenon's members): each query has a fixed cost of a
        few milliseconds on a national cube. Reads no more than half of max_facts, so that
        what it reads is not dropped again before the page uses it; the rest are read when
        asked for."""
        read_many = self._read_many
        if read_many is None:
            return
        known = self.indicator_ids
        wanted = [i for i in dict.fromkeys(indicator_ids) if i in known]
        room = self._max_facts // 2 if self._max_facts else sys.maxsize
        self._read_in_batches(read_many, wanted, room)

    def _read_in_batches(
        self, read_many: Callable[[Sequence[str]], pa.Table], order: Sequence[str], room: int
    ) -> int:
        """Read the indicators of order not kept yet, _PRELOAD_BATCH to a query (read_many),
        and keep them in that order until room facts are kept; how many facts were kept."""
        kept = 0
        for start in range(0, len(order), _PRELOAD_BATCH):
            if kept >= room:
                break
            with self._lock:
                batch = [i for i in order[start : start + _PRELOAD_BATCH] if i not in self._loaded]
            if not batch:
                continue
            tables = _split_by_indicator(read_many(batch))
            with self._lock:
                for indicator_id in batch:
                    if kept >= room:
                        break
                    table = tables.get(indicator_id)
                    if table is not None and indicator_id not in self._loaded:
                        kept += self._keep(indicator_id, table).size
        return kept

    def preload(self, limit: int, first: Iterable[str] = ()) -> int:
        """Read indicators until limit facts are in memory; how many are.

        The start-up warm-up calls it, so that a cube small enough to hold (the demo's 94,000
        facts) costs no first visitor an indicator read, while a national one stays lazy.
        The indicators in first (those the pages open on) come first, then the rest in id order.
        """
        known = self.indicator_ids
        wanted = [i for i in dict.fromkeys(first) if i in known]
        order = [*wanted, *sorted(set(known) - set(wanted))]
        if self._read_many is None:
            for indicator_id in order:
                if self.loaded_facts() >= limit:
                    break
                self._facts_of(indicator_id)
            return self.loaded_facts()
        # In the order asked, up to the limit, as one by one.
        self._read_in_batches(self._read_many, order, limit - self.loaded_facts())
        return self.loaded_facts()

    def loaded_facts(self) -> int:
        """How many facts are in memory now (the indicators asked about and kept)."""
        with self._lock:
            return self._kept_facts

    def by_year(
        self,
        indicator_id: str,
        region_code: str,
        sex: str = "total",
        age_group: str = "total",
    ) -> Mapping[int, Fact]:
        """The facts of one series by year, oldest first (empty when the cube has none)."""
        facts = self._facts_of(indicator_id)
        if facts is None:
            return {}
        where = facts.series.get(region_code, {}).get((sex, age_group))
        return {} if where is None else facts.facts(sex, age_group, *where)

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
        facts = self._facts_of(indicator_id)
        if facts is None:
            return None
        where = facts.series.get(region_code, {}).get((sex, age_group))
        return None if where is None else facts.one(sex, age_group, *where, year)

    def breakdowns(
        self, indicator_id: str, region_code: str
    ) -> Mapping[tuple[str, str], Mapping[int, Fact]]:
        """Every (sex, age group) series of one indicator in one area."""
        facts = self._facts_of(indicator_id)
        if facts is None or region_code not in facts.series:
            return _NO_BREAKDOWNS
        return {key: facts.facts(*key, *where) for key, where in facts.series[region_code].items()}
