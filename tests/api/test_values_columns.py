"""The column-wise /values page (reports.tidy_stream) is the TidyRow path's, row for row."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from raketieto.catalogue import load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.errors import RaketietoError
from raketieto.exports.tablejson import row_json
from raketieto.regions import load_division
from raketieto.reports.tidy import ValueQuery, select_values
from raketieto.reports.tidy_stream import ValueSelection
from raketieto.settings import Settings

QUERIES = [
    ValueQuery(indicators=("population",), limit=1000),
    ValueQuery(indicators=("population",), level="hva", latest=True, limit=50, lang="sv"),
    ValueQuery(level="municipality", parent="HVA05", sex="all", age_group="all", limit=10_000),
    ValueQuery(phenomenon="asunnottomuus", sex="all", age_group="all", limit=10_000, lang="en"),
    ValueQuery(areas=("SSS", "KU091"), year_from=2015, year_to=2020, limit=300, offset=299),
    ValueQuery(indicators=("population",), sex="all", age_group="all", limit=700, offset=700),
    ValueQuery(indicators=("population",), limit=1000, offset=10_500),
    ValueQuery(indicators=("population",), limit=100, offset=9_000_000),
    ValueQuery(indicators=("population",), year_from=2100, limit=10),
]


@pytest.fixture(scope="module")
def pages(demo_settings: Settings) -> list[tuple[object, object, object, object]]:
    catalogue, division = load_catalogue(), load_division(demo_settings.division_year)
    found = []
    with CubeReader.open(demo_settings) as reader:
        for query in QUERIES:
            old = select_values(reader, catalogue, division, query)
            assert query.limit is not None
            new, total = ValueSelection(reader, catalogue, division, query).page(
                query.offset, query.limit
            )
            found.append((old, new, total, query))
    return found


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_the_same_rows_count_and_json(pages: list, number: int) -> None:
    old, new, total, _ = pages[number]
    assert new.rows() == old.rows
    assert total == old.total
    assert new.json_rows() == [row_json(r) for r in old.rows]
    assert new.has_synthetic == old.has_synthetic


def test_the_queries_meet_what_could_differ(pages: list) -> None:
    # The comparison proves little unless it meets suppressed cells, missing numbers,
    # synthetic rows, sexes and age groups, a partial last page and pages past the end.
    rows = [r for old, _, _, _ in pages for r in old.rows]
    assert any(r.suppressed for r in rows)
    assert any(r.ci_lower is None and not r.suppressed for r in rows)
    assert any(r.synthetic for r in rows)
    assert {r.sex for r in rows} >= {"total", "male", "female"}
    assert len({r.age_group for r in rows}) > 1
    assert len({r.level for r in rows}) == 4
    assert any(r.retrieved_at is not None for r in rows)
    assert any(0 < len(old.rows) < q.limit for old, _, _, q in pages if q.offset > 0)
    assert any(not old.rows and old.total > 0 for old, _, _, _ in pages)
    assert any(old.total == 0 for old, _, _, _ in pages)


def test_bad_values_raise_before_any_read(demo_settings: Settings) -> None:
    catalogue, division = load_catalogue(), load_division(demo_settings.division_year)
    with CubeReader.open(demo_settings) as reader:
        for query in (
            ValueQuery(indicators=("no-such",)),
            ValueQuery(sex="other"),
            ValueQuery(year_from=2020, year_to=2010),
            ValueQuery(level="hva", parent="KU091"),
        ):
            with pytest.raises(RaketietoError):
                ValueSelection(reader, catalogue, division, query)


def test_the_route_pages_with_next_links(client: TestClient) -> None:
    first = client.get("/api/v1/values", params={"indicator": "population", "limit": 400})
    body = first.json()
    assert first.status_code == 200
    assert len(body["data"]) == 400
    total = body["paging"]["total"]
    seen = len(body["data"])
    while body["paging"]["next"]:
        body = client.get(body["paging"]["next"]).json()
        seen += len(body["data"])
    assert seen == total > 400
