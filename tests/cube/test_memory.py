"""The in-memory fact index answers exactly what the cube holds."""

from __future__ import annotations

import math

import duckdb
import pytest

from raketieto.cube import memory
from raketieto.cube.memory import FactIndex
from raketieto.cube.query import CubeReader
from raketieto.cube.schema import DDL
from raketieto.regions import Level, load_division
from raketieto.settings import Settings


def test_every_fact_of_the_demo_cube_is_in_the_index(demo_settings: Settings) -> None:
    with CubeReader.open(demo_settings) as reader:
        facts = reader.facts(sex=None, age_group=None)
        index = reader.index()
        meta = reader.meta()
    assert len(facts) > 10_000
    assert index.meta == meta
    assert index.indicator_ids == set(facts["indicator_id"])
    assert index.years == sorted({int(y) for y in facts.loc[facts["value"].notna(), "year"]})
    count = 0
    for row in facts.itertuples(index=False):
        fact = index.at(row.indicator_id, row.region_code, row.year, row.sex, row.age_group)
        assert fact is not None
        for name in ("numerator", "denominator", "value", "ci_lower", "ci_upper"):
            expected = getattr(row, name)
            got = getattr(fact, name)
            assert got is None if expected is None or math.isnan(expected) else got == expected
        assert (fact.comparison, fact.suppressed, fact.synthetic) == (
            row.comparison,
            row.suppressed,
            row.synthetic,
        )
        reason = row.suppression_reason
        assert fact.suppression_reason == (reason if isinstance(reason, str) else None)
        count += 1
    sizes = sum(
        len(series)
        for key in {(r.indicator_id, r.region_code) for r in facts.itertuples(index=False)}
        for series in index.breakdowns(*key).values()
    )
    assert sizes == count == len(facts)


def _cube(rows: list[str]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    connection.execute(DDL)
    connection.execute("INSERT INTO meta VALUES ('built_at', '2026-01-01T00:00:00+00:00')")
    for values in rows:
        connection.execute(
            "INSERT INTO facts (indicator_id, region_code, level, year, sex, age_group, numerator, "
            "denominator, value, ci_lower, ci_upper, comparison, suppressed, suppression_reason, "
            f"aggregated, source, synthetic) VALUES ({values})"
        )
    return connection


def test_nan_is_read_as_none_and_series_run_oldest_first() -> None:
    connection = _cube(
        [
            "'x', 'SSS', 'country', 2021, 'total', 'total', 3, 10, 30, 'NaN'::DOUBLE, NULL, "
            "'not_compared', false, NULL, false, 'demo', false",
            "'x', 'SSS', 'country', 2020, 'total', 'total', NULL, NULL, NULL, NULL, NULL, "
            "'not_compared', true, 'alle 5', false, 'demo', false",
            "'x', 'SSS', 'country', 2019, 'total', 'total', NULL, NULL, NULL, NULL, NULL, "
            "'not_compared', false, NULL, false, 'demo', false",
            "'x', 'SSS', 'country', 2021, 'female', 'total', 1, 5, 20, NULL, NULL, "
            "'not_compared', false, NULL, false, 'demo', false",
        ]
    )
    index = FactIndex.load(connection)
    series = index.by_year("x", "SSS")
    assert list(series) == [2019, 2020, 2021]
    assert series[2021].ci_lower is None and series[2021].value == 30
    assert [f.year for f in index.shown("x", "SSS")] == [2020, 2021]
    assert [f.year for f in index.shown("x", "SSS", up_to=2020)] == [2020]
    assert index.at("x", "SSS", 2021, "female", "total") is not None
    assert set(index.breakdowns("x", "SSS")) == {("total", "total"), ("female", "total")}
    assert index.by_year("x", "KU091") == {} and index.at("y", "SSS", 2021) is None
    assert index.years == [2021]
    assert index.meta["built_at"].startswith("2026")


def test_an_indicator_is_read_only_when_first_asked_about(demo_settings: Settings) -> None:
    with CubeReader.open(demo_settings) as reader:
        counts = dict(
            reader._connection.execute(
                "SELECT indicator_id, count(*) FROM facts GROUP BY 1"
            ).fetchall()
        )
        index = reader.index()
    assert index.loaded_facts() == 0
    assert index.at("population", "SSS", 2024) is not None
    assert index.loaded_facts() == counts["population"]
    index.by_year("social-assistance-recipients-pct", "HVA13")
    index.by_year("no-such-indicator", "SSS")
    assert index.loaded_facts() == counts["population"] + counts["social-assistance-recipients-pct"]


def test_least_recently_used_indicators_are_dropped_beyond_the_limit(
    demo_settings: Settings,
) -> None:
    with CubeReader.open(demo_settings) as reader:
        population = reader.facts(indicator_ids=["population"], sex=None, age_group=None)
        index = FactIndex.load(reader._connection, max_facts=len(population))
    before = index.by_year("population", "KU091")
    assert index.loaded_facts() == len(population)
    index.by_year("social-assistance-recipients-pct", "KU091")
    assert index.loaded_facts() < len(population)  # population was dropped, the other kept
    assert index.by_year("population", "KU091") == before  # and is read again when asked


def test_an_index_over_rows_answers_like_one_over_the_cube() -> None:
    rows = [
        ("x", "SSS", 2021, "total", "total", 3.0, 10.0, 30.0, None, None, "similar", False,
         None, True),
        ("x", "SSS", 2020, "total", "total", None, None, None, None, None, "not_compared", True,
         "alle 5", True),
        ("x", "KU091", 2021, "male", "total", 1.0, 5.0, 20.0, 1.0, 40.0, "worse", False, None,
         False),
    ]  # fmt: skip
    index = FactIndex(rows, {"built_at": "2026"})
    assert list(index.by_year("x", "SSS")) == [2020, 2021]
    assert index.at("x", "SSS", 2020) == (
        2020, "total", "total", None, None, None, None, None, "not_compared", True, "alle 5",
        True,
    )  # fmt: skip
    assert index.at("x", "KU091", 2021, "male", "total").ci_upper == 40.0  # type: ignore[union-attr]
    assert index.indicator_ids == {"x"} and index.years == [2021]
    assert set(index.breakdowns("x", "KU091")) == {("male", "total")}


def _counts_and_indexes(
    settings: Settings, how_many: int
) -> tuple[dict[str, int], list[FactIndex]]:
    """Facts per indicator in the cube, and fresh lazy indexes over it (nothing read yet)."""
    with CubeReader.open(settings) as reader:
        counts = dict(
            reader._connection.execute(
                "SELECT indicator_id, count(*) FROM facts GROUP BY 1"
            ).fetchall()
        )
        return counts, [FactIndex.load(reader._connection) for _ in range(how_many)]


def test_preload_reads_indicators_in_id_order_until_the_limit(demo_settings: Settings) -> None:
    counts, (everything, partly) = _counts_and_indexes(demo_settings, 2)
    assert everything.preload(10**9) == sum(counts.values())
    first = sorted(counts)[0]
    # One fact past nothing: the first indicator is read whole, and reading stops there.
    assert partly.preload(1) == counts[first]


def test_preload_reads_the_given_indicators_first(demo_settings: Settings) -> None:
    counts, (index,) = _counts_and_indexes(demo_settings, 1)
    chosen = sorted(counts)[-1]  # the last in id order, which alone would be read last
    # An id the cube does not hold is passed over, not an error.
    assert index.preload(1, first=["no-such-indicator", chosen]) == counts[chosen]


def test_preloaded_facts_equal_those_read_one_indicator_at_a_time(
    demo_settings: Settings,
) -> None:
    # The warm-up reads many indicators per query; what it keeps must be what a visitor's
    # first request would have read for the indicator alone.
    counts, (preloaded, lazy) = _counts_and_indexes(demo_settings, 2)
    assert preloaded.preload(10**9) == sum(counts.values())
    assert preloaded.loaded_facts() == sum(counts.values()) and lazy.loaded_facts() == 0
    division = load_division(None)
    codes = [r.code for level in Level for r in division.at_level(level)]
    compared = 0
    for indicator_id in sorted(counts):
        for code in codes:
            kept = set(preloaded.breakdowns(indicator_id, code))
            assert kept == set(lazy.breakdowns(indicator_id, code))
            for sex, age_group in kept:
                expected = lazy.by_year(indicator_id, code, sex, age_group)
                assert preloaded.by_year(indicator_id, code, sex, age_group) == expected
                compared += len(expected)
    assert compared == sum(counts.values())


def test_prefetch_reads_the_given_indicators_and_no_more_than_half_the_limit(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts, (index, lazy) = _counts_and_indexes(demo_settings, 2)
    chosen = sorted(counts)[:3]
    index.prefetch([*chosen, "no-such-indicator", chosen[0]])
    assert index.loaded_facts() == sum(counts[i] for i in chosen)
    for indicator_id in chosen:  # what it keeps is what one read alone gives
        assert index.by_year(indicator_id, "SSS") == lazy.by_year(indicator_id, "SSS")
    assert index.loaded_facts() == sum(counts[i] for i in chosen)  # nothing read again
    # With a limit, it stops after the batch that reaches half of it: what it read stays.
    monkeypatch.setattr(memory, "_PRELOAD_BATCH", 2)
    first_two = counts[sorted(counts)[0]] + counts[sorted(counts)[1]]
    with CubeReader.open(demo_settings) as reader:
        bounded = FactIndex.load(reader._connection, max_facts=2 * first_two)
    bounded.prefetch(sorted(counts))
    assert bounded.loaded_facts() == first_two


def test_the_facts_kept_are_counted_through_every_drop_and_read(demo_settings: Settings) -> None:
    counts, _ = _counts_and_indexes(demo_settings, 0)
    ids = sorted(counts)
    limit = counts[ids[0]] + counts[ids[1]]
    with CubeReader.open(demo_settings) as reader:
        index = FactIndex.load(reader._connection, max_facts=limit)
    kept: list[str] = []
    for indicator_id in [*ids, *reversed(ids), *ids[::3]]:
        index.by_year(indicator_id, "SSS")
        kept = [i for i in kept if i != indicator_id] + [indicator_id]
        # As the index drops the least recently used beyond the limit, but keeps the newest.
        while len(kept) > 1 and sum(counts[i] for i in kept) > limit:
            kept.pop(0)
        assert index.loaded_facts() == sum(counts[i] for i in kept)
