"""The build-time summary answers the whole-cube questions exactly as a scan of the facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from raketieto.cube.memory import FactIndex, has_summary
from raketieto.cube.query import CubeReader
from raketieto.cube.schema import SUMMARY_SQL, SUMMARY_TABLE
from raketieto.cube.store import connect_read_only
from raketieto.settings import Settings


def _answers(reader: CubeReader) -> tuple[object, ...]:
    ids = reader.indicator_ids()
    return (
        reader.years(),
        ids,
        [reader.years(i) for i in ids],
        reader.year_span(False),
        reader.year_span(True),
    )


@pytest.fixture(scope="module")
def without_summary(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo cube with its summary dropped, as an older builder left it."""
    copy = tmp_path_factory.mktemp("plain") / "cube.duckdb"
    shutil.copy(demo_settings.cube_path, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(f"DROP TABLE {SUMMARY_TABLE}")
    return copy


def test_the_builder_writes_the_summary(demo_settings: Settings) -> None:
    with CubeReader.open(demo_settings) as reader:
        assert has_summary(reader._connection)
        rows = reader._connection.execute(f"SELECT sum(facts) FROM {SUMMARY_TABLE}").fetchone()
        facts = reader._connection.execute("SELECT count(*) FROM facts").fetchone()
    assert rows is not None and facts is not None and rows[0] == facts[0] > 0


def test_summary_and_fact_scan_agree(demo_settings: Settings, without_summary: Path) -> None:
    summarised = CubeReader(connect_read_only(demo_settings.cube_path))
    plain = CubeReader(connect_read_only(without_summary))
    with summarised, plain:
        assert not has_summary(plain._connection)
        found = _answers(summarised)
        assert found == _answers(plain)
        years, ids = found[0], found[1]
        assert isinstance(years, list) and len(years) > 5
        assert isinstance(ids, list) and len(ids) > 10
        # The fact index's own lists (values that are numbers, not NaN) agree too.
        one, other = FactIndex.load(summarised._connection), FactIndex.load(plain._connection)
        assert one.indicator_ids == other.indicator_ids == frozenset(ids)
        assert one.years == other.years


def test_a_nan_only_year_counts_as_a_value_year_but_not_a_number_year(tmp_path: Path) -> None:
    # years() (value IS NOT NULL) and the index's years (not NaN either) differ on NaN.
    path = tmp_path / "nan.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE facts AS SELECT * FROM (VALUES "
            "('a', 2020, 1.0::DOUBLE, false), ('a', 2021, 'nan'::DOUBLE, false), "
            "('b', 2019, NULL::DOUBLE, true)) AS t(indicator_id, year, value, synthetic)"
        )
        connection.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        plain = [
            connection.execute(q).fetchall()
            for q in (
                "SELECT DISTINCT year FROM facts WHERE value IS NOT NULL ORDER BY 1",
                "SELECT DISTINCT year FROM facts WHERE value IS NOT NULL AND NOT isnan(value) "
                "ORDER BY 1",
            )
        ]
        connection.execute(SUMMARY_SQL)
    reader = CubeReader(connect_read_only(path))
    with reader:
        assert [(y,) for y in reader.years()] == plain[0] == [(2020,), (2021,)]
        summarised = reader._connection.execute(
            f"SELECT DISTINCT year FROM {SUMMARY_TABLE} WHERE with_number ORDER BY 1"
        ).fetchall()
        assert summarised == plain[1] == [(2020,)]
        assert reader.year_span(True) is None
        assert reader.indicator_ids() == ["a", "b"]
