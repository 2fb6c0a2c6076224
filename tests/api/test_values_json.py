"""The fast JSON of a /values page is byte for byte what the validated ValuePage model gives."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from raketieto.catalogue import load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.exports.tablejson import row_json
from raketieto.regions import load_division
from raketieto.reports.tidy import COLUMNS, ValueQuery, select_values
from raketieto.settings import Settings
from raketieto.web.api.models import Paging, ValueMeta, ValuePage, value_page_json

QUERIES = [
    ValueQuery(indicators=("population",), limit=1000),
    ValueQuery(indicators=("population",), sex="all", age_group="all", limit=500, offset=700),
    ValueQuery(phenomenon="asunnottomuus", sex="all", age_group="all", limit=10_000, lang="sv"),
    ValueQuery(level="municipality", latest=True, limit=10_000, lang="en"),
]


@pytest.mark.parametrize("query", QUERIES)
def test_same_bytes_as_the_model(demo_settings: Settings, query: ValueQuery) -> None:
    catalogue, division = load_catalogue(), load_division(demo_settings.division_year)
    with CubeReader.open(demo_settings) as reader:
        table = select_values(reader, catalogue, division, query)
    rows = [row_json(r) for r in table.rows]
    assert rows
    paging = Paging(
        total=table.total, limit=100, offset=0, next="/api/v1/values?x=1", previous=None
    )
    meta = ValueMeta(
        lang=query.lang,
        division_year=division.year,
        built_at="2026-12-03T00:00:00Z",
        attribution="Lähde: THL",
        synthetic=table.has_synthetic,
        columns=list(COLUMNS),
    )
    model = ValuePage.model_validate({"data": rows, "paging": paging, "meta": meta})
    assert value_page_json(rows, paging, meta) == model.model_dump_json().encode()


def test_suppressed_and_missing_numbers_are_covered(demo_settings: Settings) -> None:
    # The byte comparison above must meet nulls and suppressed cells, or it proves less.
    catalogue, division = load_catalogue(), load_division(demo_settings.division_year)
    with CubeReader.open(demo_settings) as reader:
        table = select_values(reader, catalogue, division, QUERIES[2])
    assert any(r.suppressed for r in table.rows)
    assert any(r.ci_lower is None for r in table.rows)


def test_the_route_answers_the_model(client: TestClient) -> None:
    answer = client.get("/api/v1/values", params={"indicator": "population", "limit": 50})
    assert answer.status_code == 200
    body = answer.content
    # The schema's own model accepts what the route sent, and writes it out the same.
    assert ValuePage.model_validate_json(body).model_dump_json().encode() == body
