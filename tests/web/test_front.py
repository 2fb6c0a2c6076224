"""The front page, the indicator index, downloads in sight and merged municipalities."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from raketieto.regions import load_division

PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("fi", "Rakenteellisen sosiaalityön tietopalvelu"),
        ("sv", "Informationstjänst för strukturellt socialt arbete"),
        ("en", "Information service for structural social work"),
    ],
)
def test_front_page_says_what_the_service_is_in_each_language(
    client: TestClient, lang: str, heading: str
) -> None:
    response = client.get(f"/?lang={lang}", follow_redirects=False)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{heading}</h1>" in response.text
    suffix = "" if lang == "fi" else f"?lang={lang}"
    links = _links(_main(response.text))
    for phenomenon in PHENOMENA:
        assert f"/ilmio/{phenomenon}/SSS{suffix}" in links
        assert f"/ilmionakyma/{phenomenon}/SSS{suffix}" in links
    assert f"/tilannekuva/SSS{suffix}" in links
    assert f"/indikaattori{suffix}" in links
    assert f"/kirjaudu{suffix}" in links
    assert "/api/v1/docs" in links
    # The data vintage: the years of the cube and each source with its years.
    assert re.search(r"1990–20\d\d", response.text)
    assert 'id="sources"' in response.text


def test_front_page_sources_say_which_are_synthetic(client: TestClient) -> None:
    html = client.get("/?lang=en").text
    row = re.search(r"lahde=client_data[^<]*>[^<]*</a>(.*?)</tr>", html, re.S)
    assert row is not None
    assert "synthetic" in row.group(1)


@pytest.mark.parametrize(
    ("query", "lang"),
    [("asunnottomat", "fi"), ("bostadslösa", "en"), ("homeless", "sv"), ("HOMELESS", "fi")],
)
def test_the_index_finds_by_name_in_any_language(client: TestClient, query: str, lang: str) -> None:
    html = client.get("/indikaattori", params={"q": query, "lang": lang}).text
    found = set(re.findall(r'href="/indikaattori/([a-z0-9-]+)', _main(html)))
    assert {"homeless-single-persons-per-1000", "long-term-homeless-per-1000"} <= found
    assert "population" not in found
    assert f'value="{query}"' in html  # the search box keeps what was typed


def test_the_index_filters_by_phenomenon_and_source(
    client: TestClient, demo_catalogue_ids: dict[str, set[str]]
) -> None:
    html = client.get("/indikaattori?ilmio=mielenterveys&lahde=client_data").text
    found = set(re.findall(r'<h2 class="entry-title"><a href="/indikaattori/([a-z0-9-]+)', html))
    assert found
    assert found == demo_catalogue_ids["mielenterveys"] & demo_catalogue_ids["client_data"]
    everything = client.get("/indikaattori").text
    assert everything.count('class="entry-title"') == demo_catalogue_ids["all"].__len__()


def test_unknown_filters_are_ignored_and_no_match_says_so(client: TestClient) -> None:
    html = client.get("/indikaattori?ilmio=ei-ole&lahde=xx&lang=en").text
    assert "all phenomena" in html
    empty = client.get("/indikaattori?q=zzzzqqq&lang=en")
    assert empty.status_code == 200
    assert "No indicators match these terms." in empty.text
    assert "/indikaattori?lang=en" in _links(empty.text)


def test_the_index_keeps_the_search_when_switching_language(client: TestClient) -> None:
    html = client.get("/indikaattori?q=suicide&ilmio=mielenterveys").text
    switcher = re.search(r'id="language-switcher"(.*?)</nav>', html, re.S)
    assert switcher is not None
    assert "/indikaattori?lang=sv&ilmio=mielenterveys&q=suicide" in _links(switcher.group(1))


def test_the_index_answers_htmx_with_a_fragment(client: TestClient) -> None:
    fragment = client.get("/indikaattori?q=suicide", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "suicides-per-100000" in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text


@pytest.mark.parametrize(
    "path",
    [
        "/tilannekuva/HVA13",
        "/ilmio/mielenterveys/HVA13?lang=sv",
        "/ilmionakyma/asunnottomuus/HVA90",
    ],
)
def test_county_pages_link_every_download_and_the_knowledge_base(
    client: TestClient, path: str
) -> None:
    links = _links(client.get(path).text)
    view = path.split("?")[0]
    for fmt in ("xlsx", "csv", "csv-fi", "jsonstat", "json"):
        wanted = [
            h for h in links if h.startswith(f"/vienti{view}?") and f"format={fmt}&" in h + "&"
        ]
        assert wanted, fmt
        assert client.get(wanted[0]).status_code == 200
    county = view.rsplit("/", 1)[1]
    knowledge = [h for h in links if h.startswith(f"/vienti/tietopohja/{county}.xlsx")]
    assert knowledge and client.get(knowledge[0]).status_code == 200


def test_only_county_pages_link_the_knowledge_base(client: TestClient) -> None:
    for path in ("/tilannekuva/SSS", "/tilannekuva/YTA2", "/tilannekuva/KU297"):
        assert not [h for h in _links(client.get(path).text) if "/vienti/tietopohja/" in h]


@pytest.mark.parametrize(
    ("path", "lang", "sentence"),
    [
        ("/tilannekuva/Pertunmaa", "fi", "yhdistynyt kuntaan Mäntyharju 1.1.2025"),
        ("/ilmio/mielenterveys/KU588", "sv", "gått samman med kommunen Mäntyharju"),
        ("/ilmionakyma/asunnottomuus/588", "en", "merged into Mäntyharju on Jan 1, 2025"),
        ("/tilannekuva/maaninka", "en", "merged into Kuopio on Jan 1, 2015"),
    ],
)
def test_a_merged_municipality_says_where_it_went_and_links_there(
    client: TestClient, path: str, lang: str, sentence: str
) -> None:
    response = client.get(path, params={"lang": lang})
    assert response.status_code == 404
    assert sentence in response.text
    view = path.rsplit("/", 1)[0]
    target = "KU507" if "588" in path or "Pertunmaa" in path else "KU297"
    suffix = "" if lang == "fi" else f"?lang={lang}"
    assert f"{view}/{target}{suffix}" in _links(response.text)


def test_county_names_have_no_stray_spaces() -> None:
    division = load_division()
    for region in division.regions.values():
        for name in region.names.values():
            assert name == name.strip() and "  " not in name, region.code


def test_counts_carry_no_unit_word_after_the_value(client: TestClient) -> None:
    for lang in ("sv", "en"):
        html = client.get(f"/ilmio/asunnottomuus/HVA13?lang={lang}").text
        population = re.search(
            r'id="trend-living-conditions-population-heading".*?</p>', html, re.S
        )
        assert population is not None
        assert re.search(r'<strong class="value">[\d\u00a0 ,]+</strong>\s*\(', population.group(0))


def test_definition_page_speaks_the_page_language(client: TestClient) -> None:
    html = client.get("/indikaattori/financial-support-need-per-1000?lang=en").text
    assert "decimals" not in html.replace("decimal places", "")
    assert "decimal places: 1" in html
    assert "Lähde:" not in html
    assert "synthetic client data (no real persons)" in html
    sv = client.get("/indikaattori/population?lang=sv").text
    assert "Källa: Statistikcentralen, befolkningsstruktur" in sv
    assert "Sotkanet-uttag 2013-09-08 (kommunindelning 2013)" in sv


def _options(html: str, select_id: str) -> list[tuple[str, str]]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found is not None
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1))


def test_selectors_offer_only_choices_with_data(client: TestClient) -> None:
    from raketieto.web.views import ranking_levels

    state = client.app.state.raketieto  # type: ignore[attr-defined]
    # The default indicator is the first headline one with data for the county; choose one
    # explicitly so the level choice below is checked against a known indicator.
    html = client.get("/ilmio/asunnottomuus/HVA13?indicator=social-assistance-recipients-pct").text
    offered = _options(html, "indicator")
    assert offered
    assert all("(ei tietoja)" not in text for _, text in offered)
    assert "homeless-families" not in dict(offered)  # ARA/Varke counts: the country only
    levels = [key for key, _ in _options(html, "level")]
    assert set(levels) == set(ranking_levels(state, "social-assistance-recipients-pct"))
    chosen = client.get("/ilmio/asunnottomuus/HVA13?indicator=homeless-families").text
    assert _options(chosen, "level") == [("hva", "hyvinvointialueet (ei tietoja)")]
    assert ("homeless-families", "Asunnottomat perheet ja pariskunnat (ei tietoja)") in _options(
        chosen, "indicator"
    )
    view = client.get("/ilmionakyma/asunnottomuus/KU091").text
    assert all("(ei tietoja)" not in text for _, text in _options(view, "indicator"))
