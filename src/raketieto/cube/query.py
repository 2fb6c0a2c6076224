"""Read-only questions to the cube; the views, the API, the exports and the CLI all ask here."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd

from raketieto.cube.memory import FactIndex, has_summary
from raketieto.cube.schema import SUMMARY_TABLE
from raketieto.cube.store import cursor_of, open_cube
from raketieto.regions import Level
from raketieto.settings import Settings


def _in_list(wanted: Sequence[object]) -> tuple[str, list[object]]:
    """The placeholders and parameters of a literal IN list; an empty one matches nothing.

    A literal list (not IN (SELECT UNNEST(?))) lets DuckDB skip row groups by their min/max,
    so a question about a few indicators reads their rows, not the whole cube.
    """
    values = list(wanted) or [None]
    return ", ".join("?" * len(values)), values


_DEPTH = " ".join(f"WHEN '{level.value}' THEN {level.depth}" for level in Level)
#: The order of shown facts: indicator, level (country first), area, year, sex, age group.
SHOWN_ORDER = f"indicator_id, CASE level {_DEPTH} END, region_code, year, sex, age_group"


class CubeReader:
    """A read-only view of one cube file."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, index: FactIndex | None = None
    ) -> None:
        self._connection = connection
        self._index = index
        self._summary: bool | None = None

    def index(self) -> FactIndex:
        """The cube's facts in memory for the views; read on first use unless one was given.

        A long-lived reader of the same cube (the web app) hands in the index it keeps.
        """
        if self._index is None:
            self._index = FactIndex.load(self._connection)
        return self._index

    @classmethod
    def open(cls, settings: Settings) -> CubeReader:
        """Open the live cube read-only."""
        return cls(open_cube(settings))

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __enter__(self) -> CubeReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        """Build metadata: schema version, build time, division year."""
        rows = self._connection.execute("SELECT key, value FROM meta").fetchall()
        return {str(k): str(v) for k, v in rows}

    def facts(
        self,
        *,
        indicator_ids: Sequence[str] | None = None,
        region_codes: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        sex: str | None = "total",
        age_group: str | None = "total",
    ) -> pd.DataFrame:
        """Facts matching every given filter (None means any), ordered by the key."""
        clauses: list[str] = []
        params: list[object] = []
        for column, wanted in (
            ("indicator_id", indicator_ids),
            ("region_code", region_codes),
            ("year", years),
        ):
            if wanted is not None:
                marks, values = _in_list(wanted)
                clauses.append(f"{column} IN ({marks})")
                params.extend(values)
        for column, one in (("sex", sex), ("age_group", age_group)):
            if one is not None:
                clauses.append(f"{column} = ?")
                params.append(one)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT * FROM facts {where} ORDER BY indicator_id, region_code, year, sex, age_group"
        )
        return self._connection.execute(sql, params).df()

    def shown_sql(
        self,
        *,
        indicator_ids: Sequence[str] | None = None,
        region_codes: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        sex: str | None = "total",
        age_group: str | None = "total",
        latest: bool = False,
    ) -> tuple[str, list[object]]:
        """The SELECT (and its parameters) of the facts with a value or a suppression matching
        every filter (None means any); with latest, only each series' newest such fact.
        Order its rows by SHOWN_ORDER. shown_page and the column-wise values ask with it."""
        clauses = ["((value IS NOT NULL AND NOT isnan(value)) OR suppressed)"]
        params: list[object] = []
        for column, wanted in (
            ("indicator_id", indicator_ids),
            ("region_code", region_codes),
            ("year", years),
        ):
            if wanted is not None:
                # A literal IN list (not a subquery) lets DuckDB skip row groups by min/max.
                marks, values = _in_list(wanted)
                clauses.append(f"{column} IN ({marks})")
                params.extend(values)
        for column, one in (("sex", sex), ("age_group", age_group)):
            if one is not None:
                clauses.append(f"{column} = ?")
                params.append(one)
        chosen = f"SELECT * FROM facts WHERE {' AND '.join(clauses)}"
        if latest:
            chosen = (
                f"SELECT * EXCLUDE (newest) FROM (SELECT *, max(year) OVER (PARTITION BY "
                f"indicator_id, region_code, sex, age_group) AS newest FROM ({chosen})) "
                "WHERE year = newest"
            )
        return chosen, params

    def shown_page(
        self,
        *,
        indicator_ids: Sequence[str] | None = None,
        region_codes: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        sex: str | None = "total",
        age_group: str | None = "total",
        latest: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[pd.DataFrame, int]:
        """One page of the facts with a value or a suppression matching every filter (None
        means any), by indicator, level (country first), area, year, sex and age group, and
        how many there are in all; with latest, only each series' newest such fact.

        Filtered, counted, ordered and cut in DuckDB: a page costs what the page holds.
        """
        chosen, params = self.shown_sql(
            indicator_ids=indicator_ids,
            region_codes=region_codes,
            years=years,
            sex=sex,
            age_group=age_group,
            latest=latest,
        )
        order = SHOWN_ORDER
        cursor = cursor_of(self._connection)
        try:
            row = cursor.execute(f"SELECT count(*) FROM ({chosen})", params).fetchone()
            total = int(row[0]) if row else 0
            cut = f" LIMIT {int(limit)}" if limit is not None else ""
            page = cursor.execute(
                f"SELECT * FROM ({chosen}) ORDER BY {order}{cut} OFFSET {int(offset)}", params
            ).df()
        finally:
            cursor.close()
        return page, total

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own on this reader's cube, for a caller's own temporary tables;
        close it when done."""
        return cursor_of(self._connection)

    def _summarised(self) -> bool:
        """Whether the cube has its build-time summary (cube.schema.SUMMARY_TABLE), asked of
        the cube once: the index given by the web app already knows it."""
        if self._summary is None:
            known = self._index.summarised if self._index is not None else None
            self._summary = has_summary(self._connection) if known is None else known
        return self._summary

    def _with_values(self) -> tuple[str, str]:
        """The table to ask which years or indicators have values, and the test for a value."""
        if self._summarised():
            return SUMMARY_TABLE, "with_value"
        return "facts", "value IS NOT NULL"

    def years(self, indicator_id: str | None = None) -> list[int]:
        """The years with at least one value, for one indicator or any."""
        source, test = self._with_values()
        if indicator_id is None:
            rows = self._connection.execute(
                f"SELECT DISTINCT year FROM {source} WHERE {test} ORDER BY year"
            ).fetchall()
        else:
            rows = self._connection.execute(
                f"SELECT DISTINCT year FROM {source} WHERE indicator_id = ? AND {test} "
                "ORDER BY year",
                [indicator_id],
            ).fetchall()
        return [int(r[0]) for r in rows]

    def indicator_ids(self) -> list[str]:
        """Indicators with at least one fact."""
        source, _ = self._with_values()
        rows = self._connection.execute(
            f"SELECT DISTINCT indicator_id FROM {source} ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def provenance(self, indicator_id: str) -> list[tuple[Any, ...]]:
        """Per source and source version of one indicator's facts: the source, the version
        ('' when none), the latest retrieval, the first and last year, and the counts of
        facts, synthetic facts and suppressed facts."""
        return self._connection.execute(
            "SELECT source, coalesce(source_version, ''), max(retrieved_at), min(year), "
            "max(year), count(*), count(*) FILTER (WHERE synthetic), "
            "count(*) FILTER (WHERE suppressed) "
            "FROM facts WHERE indicator_id = ? GROUP BY 1, 2 ORDER BY 1, 2",
            [indicator_id],
        ).fetchall()

    def levels_with_values(self, indicator_id: str) -> list[str]:
        """The regional levels on which one indicator has at least one value."""
        rows = self._connection.execute(
            "SELECT DISTINCT level FROM facts WHERE indicator_id = ? AND value IS NOT NULL",
            [indicator_id],
        ).fetchall()
        return [str(r[0]) for r in rows]

    def extracts(
        self, indicator_ids: Sequence[str], region_codes: Sequence[str], year: int
    ) -> list[tuple[Any, ...]]:
        """The source, source version and latest retrieval of the real (not synthetic) values
        of these indicators and areas in one year, one row per source version."""
        # Literal IN lists (not subqueries) let DuckDB skip the other indicators' row groups.
        indicators, regions = _in_list(indicator_ids), _in_list(region_codes)
        return self._connection.execute(
            "SELECT source, coalesce(source_version, ''), max(retrieved_at) FROM facts "
            f"WHERE indicator_id IN ({indicators[0]}) AND region_code IN ({regions[0]}) "
            "AND year = ? AND NOT synthetic AND (value IS NOT NULL OR suppressed) "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            [*indicators[1], *regions[1], year],
        ).fetchall()

    def year_span(self, synthetic: bool) -> tuple[int, int] | None:
        """The first and last year with a real (or, with synthetic, a synthetic) value."""
        source, test = self._with_values()
        row = self._connection.execute(
            f"SELECT min(year), max(year) FROM {source} WHERE {test} AND synthetic = ?",
            [synthetic],
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return int(row[0]), int(row[1])
