"""One number, one definition: for random view requests the HTML page, its JSON, its Excel file
(read back with openpyxl), its CSV and its Finnish CSV show identical numbers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from raketieto.catalogue import load_catalogue
from raketieto.reports.phenomenon import phenomenon_indicators
from raketieto.web.format import number
from tests.api.pagedata import page_numbers
from tests.exports.readback import csv_fi_rows, csv_rows, json_rows, numbers, xlsx_rows

CATALOGUE = load_catalogue()
AREAS = ["SSS", "YTA2", "HVA05", "HVA90", "HVA13", "KU005", "KU853", "KU091"]
PHENOMENA = list(CATALOGUE.phenomena)
YEARS = [None, None, 2012, 2010, 2024]


@st.composite
def view_requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A page path and its query, as a user could ask for it."""
    kind = draw(st.sampled_from(["tilannekuva", "ilmio", "ilmionakyma"]))
    area = draw(st.sampled_from(AREAS))
    params: dict[str, Any] = {"lang": draw(st.sampled_from(["fi", "sv", "en"]))}
    year = draw(st.sampled_from(YEARS))
    if year is not None:
        params["year"] = year
    if kind == "tilannekuva":
        return f"/tilannekuva/{area}", params
    phenomenon = draw(st.sampled_from(PHENOMENA))
    members = [i.id for i in phenomenon_indicators(CATALOGUE, phenomenon)]
    indicator = draw(st.sampled_from([None, *members]))
    if indicator is not None:
        params["indicator"] = indicator
    return f"/{kind}/{phenomenon}/{area}", params


def _download(client: TestClient, path: str, params: dict[str, Any], fmt: str) -> bytes:
    response = client.get(f"/vienti{path}", params={**params, "format": fmt})
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=view_requests())
# The ranking shows its nearest year (and the country's value then) when the page's has none.
@example(
    request=(
        "/ilmio/mielenterveys/SSS",
        {"lang": "fi", "year": 2012, "indicator": "assessments-completed-within-3-months-pct"},
    )
)
# The similar areas (other counties) beside a municipal ranking are in the files too.
@example(request=("/ilmio/asunnottomuus/HVA05", {"lang": "fi"}))
# A mean of published rates that floats just above a rounding boundary (KU445 2024: 5.85).
@example(request=("/tilannekuva/HVA05", {"lang": "fi"}))
def test_page_json_excel_and_csv_agree(
    client: TestClient, request: tuple[str, dict[str, Any]]
) -> None:
    path, params = request
    lang = params["lang"]
    page = client.get(path, params=params)
    assert page.status_code == 200, page.text[:500]
    rows = json_rows(_download(client, path, params, "json"))
    expected = numbers(rows)
    assert numbers(xlsx_rows(_download(client, path, params, "xlsx"), lang)) == expected
    assert numbers(csv_rows(_download(client, path, params, "csv"))) == expected
    assert numbers(csv_fi_rows(_download(client, path, params, "csv-fi"), lang)) == expected
    # Every number the page's tables show is one of the file's numbers, formatted as shown.
    shown = page_numbers(page.text)
    for item in shown:
        indicator = item.indicator
        assert indicator is not None, item
        decimals = CATALOGUE.indicator(indicator).decimals
        candidates = {
            number(r["value"], decimals, lang)
            for r in rows
            if r["area_code"] == item.region
            and r["indicator_id"] == indicator
            and (item.year is None or r["year"] == item.year)
            and r["value"] is not None
        }
        assert item.text in candidates, (item, candidates)
    if path.startswith("/tilannekuva"):
        assert shown, "the situational picture shows its overview grid"
