"""The REST API: resources, filters, paging, errors, caching headers, CORS and the limit."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from raketieto.regions import Level, load_division
from raketieto.settings import Settings
from tests.api.conftest import make_app

ERROR_KEYS = {"code", "message", "parameter", "value", "expected"}


def _error(response: Any, status: int, parameter: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS
    assert error["parameter"] == parameter
    return dict(error)


def test_region_with_parent_and_children(client: TestClient) -> None:
    body = client.get("/api/v1/regions/HVA05", params={"lang": "sv"}).json()["data"]
    division = load_division()
    parent = division.parent("HVA05")
    assert parent is not None and body["parent"]["code"] == parent.code
    assert [a["code"] for a in body["ancestors"]] == ["SSS", parent.code]
    assert [c["code"] for c in body["children"]] == [r.code for r in division.children("HVA05")]
    assert body["name"] == division.get("HVA05").name("sv")


def test_regions_of_a_level(client: TestClient) -> None:
    data = client.get("/api/v1/regions", params={"level": "hva"}).json()["data"]
    assert [r["code"] for r in data] == [r.code for r in load_division().at_level(Level.COUNTY)]


def test_phenomena_and_indicators_with_definitions(client: TestClient) -> None:
    phenomena = client.get("/api/v1/phenomena").json()["data"]
    assert {p["id"] for p in phenomena} >= {"asunnottomuus", "mielenterveys"}
    one = client.get("/api/v1/indicators/population", params={"lang": "en"}).json()["data"]
    assert one["definition"] and one["source"]["licence"]
    listed = client.get("/api/v1/indicators", params={"phenomenon": "mielenterveys"}).json()
    assert all("mielenterveys" in i["phenomenon_ids"] for i in listed["data"])


def test_all_areas_of_one_level_latest_in_one_call(client: TestClient) -> None:
    params = {"indicator": "population", "level": "hva", "latest": "true"}
    body = client.get("/api/v1/values", params=params).json()
    counties = {r.code for r in load_division().at_level(Level.COUNTY)}
    assert {r["area_code"] for r in body["data"]} == counties
    assert body["paging"]["total"] == len(counties)
    assert len({r["year"] for r in body["data"]}) == 1


def test_paging_links_walk_the_whole_answer(client: TestClient) -> None:
    params: dict[str, Any] = {"indicator": "population", "area": "SSS,HVA05", "limit": 25}
    first = client.get("/api/v1/values", params=params).json()
    seen = list(first["data"])
    following = first["paging"]["next"]
    while following:
        page = client.get(following).json()
        seen.extend(page["data"])
        following = page["paging"]["next"]
    whole = client.get("/api/v1/values", params={**params, "limit": 10000}).json()
    assert seen == whole["data"]
    assert len(seen) == first["paging"]["total"] > 25


def test_errors_have_one_shape(client: TestClient) -> None:
    error = _error(
        client.get("/api/v1/values", params={"indicator": "populaton"}), 404, "indicator"
    )
    assert error["value"] == "populaton" and "population" in error["message"]
    _error(client.get("/api/v1/regions/HVA99"), 404, "code")
    _error(client.get("/api/v1/values", params={"limit": "x"}), 422, "limit")
    _error(client.get("/api/v1/values", params={"sex": "women"}), 422, "sex")
    error = _error(
        client.get("/api/v1/values", params={"year_from": 2010, "year_to": 2000}), 400, "year_from"
    )
    assert error["value"] == "2010" and "2010–2000" in error["message"]
    assert error["expected"] == "vuosi 1900–2100, enintään year_to"
    error = _error(
        client.get("/api/v1/values", params={"parent": "KU091", "level": "hva"}), 400, "level"
    )
    assert error["value"] == "hva" and "KU091" in error["message"]
    _error(client.get("/api/v1/no/such/thing"), 404, "path")
    _error(client.get("/vienti/tietopohja/KU005.xlsx"), 404, "county")
    _error(client.get("/vienti/tilannekuva/SSS", params={"year": 1901}), 404, "year")


def test_etag_answers_304_and_cache_control(client: TestClient) -> None:
    first = client.get("/api/v1/regions/HVA05")
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = client.get("/api/v1/regions/HVA05", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""
    other = client.get("/api/v1/regions/HVA05", headers={"If-None-Match": '"else"'})
    assert other.status_code == 200
    assert client.get("/api/v1/regions/HVA06").headers["etag"] != etag


def test_cors_for_reads(client: TestClient) -> None:
    response = client.get("/api/v1/phenomena", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/api/v1/values",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_rate_limit_answers_429_with_retry_after(demo_settings: Settings) -> None:
    app = make_app(demo_settings.model_copy(update={"api_requests_per_minute": 3}))
    with TestClient(app) as limited:
        statuses = [limited.get("/api/v1").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        last = limited.get("/api/v1")
        assert int(last.headers["retry-after"]) >= 1
        assert last.json()["error"]["code"] == "rate_limited"


def test_openapi_and_docs(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/values", "/api/v1/regions/{code}"} <= set(document["paths"])
    responses = document["paths"]["/api/v1/values"]["get"]["responses"]
    assert {"400", "404", "422", "429"} <= set(responses)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "/api/v1/values" in page.text
