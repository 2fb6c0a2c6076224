"""The three views, the definition page, drill-down, languages and htmx fragments."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

AREAS = ["SSS", "YTA1", "HVA12", "KU091"]
PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]
TITLES = {"fi": "Tilannekuva", "sv": "Lägesbild", "en": "Situational picture"}


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("area", AREAS)
def test_situational_picture_in_each_language(client: TestClient, lang: str, area: str) -> None:
    response = client.get(f"/tilannekuva/{area}?lang={lang}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{TITLES[lang]}:" in response.text
    assert 'id="overview-grid"' in response.text


@pytest.mark.parametrize("phenomenon", PHENOMENA)
@pytest.mark.parametrize("area", AREAS)
def test_glance_and_view_for_every_phenomenon_and_level(
    client: TestClient, phenomenon: str, area: str
) -> None:
    glance = client.get(f"/ilmio/{phenomenon}/{area}")
    view = client.get(f"/ilmionakyma/{phenomenon}/{area}")
    assert glance.status_code == 200
    assert view.status_code == 200
    assert 'id="ranking-table"' in glance.text
    assert 'id="comparison-table"' in view.text
    assert 'id="qualitative-heading"' in view.text


def test_default_language_is_finnish(client: TestClient) -> None:
    assert '<html lang="fi">' in client.get("/tilannekuva/SSS").text
    assert '<html lang="fi">' in client.get("/tilannekuva/SSS?lang=xx").text


def test_every_chart_has_a_table_and_a_sentence(client: TestClient) -> None:
    html = client.get("/ilmio/mielenterveys/HVA12?lang=en").text
    charts = re.findall(r'<div class="chart" id="([^"]+)"', html)
    assert charts
    for chart in charts:
        caption = re.search(rf'<figcaption id="{chart}-caption" class="summary">([^<]+)<', html)
        assert caption is not None and caption.group(1).strip().endswith(".")
    assert html.count('<table class="data"') >= len(charts) - 1  # the map shares the ranking table


def test_drill_down_keeps_the_indicator_and_year(client: TestClient) -> None:
    url = "/ilmionakyma/asunnottomuus/YTA1?indicator=social-assistance-recipients-pct&year=2010"
    html = client.get(url + "&lang=sv").text
    children = [h for h in _links(html) if h.startswith("/ilmionakyma/asunnottomuus/HVA")]
    assert children
    for link in children:
        assert "indicator=social-assistance-recipients-pct" in link
        assert "year=2010" in link
        assert "lang=sv" in link
    assert "/ilmionakyma/asunnottomuus/SSS?" in " ".join(_links(html))  # breadcrumbs back up


def test_breadcrumbs_go_up_to_the_country(client: TestClient) -> None:
    html = client.get("/tilannekuva/KU091").text
    crumbs = re.search(r'class="breadcrumbs">(.*?)</nav>', html, re.S)
    assert crumbs is not None
    assert re.findall(r'href="/tilannekuva/(\w+)"', crumbs.group(1)) == ["SSS", "YTA1", "HVA90"]


def test_names_and_short_codes_redirect_to_canonical_codes(client: TestClient) -> None:
    response = client.get("/ilmio/mielenterveys/Helsinki?lang=en", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/ilmio/mielenterveys/KU091?lang=en"


def test_language_switcher_keeps_the_state(client: TestClient) -> None:
    html = client.get("/ilmionakyma/mielenterveys/HVA12?year=2010").text
    switcher = re.search(r'id="language-switcher"(.*?)</nav>', html, re.S)
    assert switcher is not None
    assert set(_links(switcher.group(1))) == {
        "/ilmionakyma/mielenterveys/HVA12?lang=sv&year=2010",
        "/ilmionakyma/mielenterveys/HVA12?lang=en&year=2010",
    }


def test_htmx_request_gets_a_fragment_with_the_switcher_out_of_band(client: TestClient) -> None:
    url = "/ilmionakyma/mielenterveys/HVA12?indicator=sickness-allowance-16-64-per-1000"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_download_links_point_under_vienti(client: TestClient) -> None:
    html = client.get("/tilannekuva/HVA12?year=2010").text
    assert "/vienti/tilannekuva/HVA12?format=xlsx&year=2010" in _links(html)
    assert "/vienti/tilannekuva/HVA12?format=csv&year=2010" in _links(html)


def test_indicator_definition_page(client: TestClient) -> None:
    response = client.get("/indikaattori/social-assistance-recipients-pct?lang=en")
    assert response.status_code == 200
    for text in ("Numerator", "Denominator", "Licence", "Retrieved", "Used in phenomena"):
        assert text in response.text


def test_geo_and_vendor_assets_are_served(client: TestClient) -> None:
    assert client.get("/geo/hva.json").json()["type"] == "FeatureCollection"
    assert client.get("/static/vendor/vega-embed.min.js").status_code == 200
    assert client.get("/static/charts.js").status_code == 200
    assert client.get("/static/vendor/..%2Fpackage.json").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/tilannekuva/HVA07?year=2015",
        "/ilmio/mielenterveys/HVA07?lang=sv",
        "/ilmionakyma/asunnottomuus/KU091?lang=en",
        "/indikaattori/population?lang=sv",
    ],
)
def test_a_kept_page_is_answered_without_a_worker_thread(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    from raketieto.web import views

    threaded: list[str] = []
    original = views.run_in_threadpool

    async def counted(function: Any, *args: Any) -> Any:
        threaded.append(path)
        return await original(function, *args)

    monkeypatch.setattr(views, "run_in_threadpool", counted)
    first = client.get(path)  # computed in a worker thread, unless an earlier test did
    threaded.clear()
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert second.text == first.text
    assert threaded == []
    other = client.get(path + "&year=2010")  # not kept yet: computed in a thread
    assert other.status_code == 200 and threaded == [path]
