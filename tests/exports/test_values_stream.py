"""The streamed CSV and JSON-stat of a whole values query are byte for byte render()'s files of
its TidyTable."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from raketieto.exports import ExportFormat, render
from raketieto.exports.csv import stream_csv
from raketieto.exports.jsonstat import stream_jsonstat
from raketieto.reports.tidy import ValueQuery, select_values
from raketieto.reports.tidy_stream import ValueSelection
from raketieto.settings import Settings
from tests.api.conftest import make_app
from tests.exports.conftest import Cube

QUERIES = [
    ValueQuery(indicators=("population",)),
    ValueQuery(phenomenon="asunnottomuus", sex="all", age_group="all", lang="sv"),
    ValueQuery(level="hva", latest=True, lang="en"),
    ValueQuery(areas=("SSS", "KU091"), year_from=2015, year_to=2020, sex="all"),
    ValueQuery(indicators=("population",), year_from=2100),
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.CSV_FI])
def test_streamed_csv_is_the_tables_file(cube: Cube, query: ValueQuery, fmt: ExportFormat) -> None:
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    selection = ValueSelection(cube.reader, cube.catalogue, cube.division, query)
    # Small batches, so that the rows cross batch boundaries.
    chunks = list(stream_csv(selection, finnish=fmt is ExportFormat.CSV_FI, batch_rows=997))
    assert b"".join(chunks) == render(table, fmt)
    assert len(chunks) == 1 + -(-len(table.rows) // 997)


#: Besides QUERIES, dense datasets (value an array): one without and one with suppressed cells.
JSONSTAT_QUERIES = [
    *QUERIES,
    ValueQuery(indicators=("population",), latest=True),
    ValueQuery(
        indicators=("substance-and-mental-health-support-need-per-1000",), level="hva", sex="all"
    ),
]


@pytest.mark.parametrize("query", JSONSTAT_QUERIES)
@pytest.mark.parametrize("batch_rows", [1, 997, 100_000])
def test_streamed_jsonstat_is_the_tables_file(
    cube: Cube, query: ValueQuery, batch_rows: int
) -> None:
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    selection = ValueSelection(cube.reader, cube.catalogue, cube.division, query)
    chunks = stream_jsonstat(selection, extracted_at=table.extracted_at, batch_rows=batch_rows)
    assert b"".join(chunks) == render(table, ExportFormat.JSONSTAT)


def test_the_jsonstat_queries_meet_both_shapes(cube: Cube) -> None:
    # A dense dataset (an array of values) and a sparse one (an object keyed by cell), both
    # with suppressed cells, so that status and suppression_reason are written in each shape.
    shapes = set()
    for query in JSONSTAT_QUERIES:
        table = select_values(cube.reader, cube.catalogue, cube.division, query)
        dataset = json.loads(render(table, ExportFormat.JSONSTAT))
        told = bool(dataset["status"]) and bool(dataset["extension"]["suppression_reason"])
        shapes.add((type(dataset["value"]).__name__, told))
    assert shapes == {("list", True), ("list", False), ("dict", True), ("dict", False)}


def test_the_queries_meet_what_could_differ(cube: Cube) -> None:
    rows = [
        r
        for q in QUERIES
        for r in select_values(cube.reader, cube.catalogue, cube.division, q).rows
    ]
    assert any(r.suppressed for r in rows)
    assert any(r.synthetic for r in rows)
    assert any(r.ci_lower is None and not r.suppressed for r in rows)
    assert any(r.note for r in rows) or any(r.source_version for r in rows)
    assert len({r.sex for r in rows}) == 3


@pytest.fixture(scope="module")
def client(demo_settings: Settings) -> Iterator[TestClient]:
    settings = demo_settings.model_copy(update={"api_requests_per_minute": 1_000_000})
    with TestClient(make_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("path", "fmt"), [(".csv", ExportFormat.CSV), (".fi.csv", ExportFormat.CSV_FI)]
)
def test_the_routes_stream_the_same_file(
    client: TestClient, cube: Cube, path: str, fmt: ExportFormat
) -> None:
    answer = client.get(
        f"/api/v1/values{path}", params={"indicator": "population", "sex": "all", "lang": "sv"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == fmt.media_type
    assert "attachment" in answer.headers["content-disposition"]
    query = ValueQuery(indicators=("population",), sex="all", lang="sv")
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    assert answer.content == render(table, fmt)


def test_the_jsonstat_route_streams_the_same_dataset(client: TestClient, cube: Cube) -> None:
    answer = client.get(
        "/api/v1/values.jsonstat", params={"indicator": "population", "sex": "all", "lang": "sv"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["content-disposition"].endswith('.jsonstat.json"')
    query = ValueQuery(indicators=("population",), sex="all", lang="sv")
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    streamed = answer.json()
    # Only the moment of extraction differs: each answer is extracted when it is asked.
    updated = dt.datetime.fromisoformat(streamed.pop("updated"))
    assert abs(updated - table.extracted_at) < dt.timedelta(minutes=5)
    expected = json.loads(render(table, ExportFormat.JSONSTAT))
    del expected["updated"]
    assert streamed == expected


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"indicator": "no-such"}, 404, "indicator"),
        ({"area": "XX1"}, 404, "area"),
        ({"year_from": "2020", "year_to": "2010"}, 400, None),
        ({"sex": "other"}, 422, "sex"),
        ({"level": "hva", "parent": "KU091"}, 400, None),
    ],
)
@pytest.mark.parametrize("path", [".csv", ".jsonstat"])
def test_bad_parameters_get_the_json_error_before_any_byte(
    client: TestClient, path: str, params: dict[str, str], status: int, parameter: str | None
) -> None:
    answer = client.get(f"/api/v1/values{path}", params=params)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["message"]
    if parameter is not None:
        assert error["parameter"] == parameter
