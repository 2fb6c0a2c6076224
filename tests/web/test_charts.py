"""Every chart carries a legend naming its series, readable tooltips, and its synthetic flag."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]
AREAS = ["SSS", "YTA2", "HVA12", "KU091"]
SYNTHETIC = {"fi": "synteettinen", "sv": "syntetisk", "en": "synthetic"}
FIGURE = re.compile(r'<figure class="chart-figure".*?</figure>', re.S)


def _figures(html: str) -> list[tuple[str, dict[str, Any], list[str]]]:
    found = []
    for figure in FIGURE.findall(html):
        chart_id = re.search(r'<div class="chart" id="([^"]+)"', figure)
        spec = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', figure, re.S)
        assert chart_id and spec, figure[:200]
        legend = re.findall(r'<li data-mark="[a-z]+">.*?<span>(.*?)</span></li>', figure, re.S)
        found.append((chart_id.group(1), json.loads(spec.group(1)), legend))
    return found


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    data = spec.get("data", {})
    for step in spec.get("transform", []):
        if "lookup" in step:  # a map: its areas' records are looked up by code
            return list(step["from"]["data"]["values"])
    return list(data.get("values", []))


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("layer") or spec.get("spec", {}).get("layer", []))


def _tooltip_fields(spec: dict[str, Any]) -> set[str]:
    fields = set()
    for layer in _layers(spec):
        for tip in layer.get("encoding", {}).get("tooltip", []):
            fields.add(tip["field"])
    return fields


@pytest.mark.parametrize("phenomenon", PHENOMENA)
@pytest.mark.parametrize("view", ["ilmio", "ilmionakyma"])
def test_every_chart_has_a_legend_naming_each_series(
    client: TestClient, phenomenon: str, view: str
) -> None:
    drawn = 0
    for area in AREAS:
        html = client.get(f"/{view}/{phenomenon}/{area}").text
        figures = _figures(html)
        drawn += len(figures)
        for chart_id, spec, legend in figures:
            assert legend, f"{chart_id} on /{view}/{phenomenon}/{area} has no legend"
            if chart_id.startswith(("trend-", "series-chart")):
                areas = {v["area"] for v in _values(spec)}
                assert areas <= set(legend), (chart_id, areas, legend)
                if any(v["lower"] is not None for v in _values(spec)):
                    assert "95 %:n luottamusväli" in legend
            if chart_id in ("ranking-chart", "comparison-chart", "similar-chart"):
                kinds = {v["kind"] for v in _values(spec)}
                assert kinds <= set(legend)
                if any("country" in v for la in _layers(spec) for v in _values(la)):
                    assert any(label.startswith("Koko maa: ") for label in legend)
            # Names and formatted numbers only: no codes, no raw floats in a tooltip.
            assert not _tooltip_fields(spec) & {"code", "value", "lower", "upper"}
    assert drawn, f"/{view}/{phenomenon} has no charts on any level"


def test_tooltips_use_the_pages_number_format(client: TestClient) -> None:
    for lang, decimal in (("fi", ","), ("sv", ","), ("en", ".")):
        wrong = "." if decimal == "," else ","
        html = client.get(f"/ilmio/taloudellinen-tilanne/HVA12?lang={lang}").text
        texts = [
            v["value_text"]
            for _id, spec, _legend in _figures(html)
            for v in _values(spec)
            if "value_text" in v and v["value_text"] != "–"
        ]
        with_decimals = [t for t in texts if re.search(rf"\d{re.escape(decimal)}\d{{1,2}}$", t)]
        assert with_decimals, (lang, texts[:5])
        # The other language's decimal mark never ends a number.
        assert not [t for t in texts if re.search(rf"\d{re.escape(wrong)}\d{{1,2}}$", t)]


def test_synthetic_values_are_flagged_in_data_tooltip_and_legend(client: TestClient) -> None:
    for lang, word in SYNTHETIC.items():
        # The ranked and mapped indicator is one filled with synthetic client data.
        wanted = "indicator=clients-returning-within-12-months-pct"
        html = client.get(f"/ilmio/asunnottomuus/HVA12?lang={lang}&{wanted}").text
        flagged = flagged_maps = 0
        for chart_id, spec, legend in _figures(html):
            notes = [v.get("note") for v in _values(spec) if "note" in v]
            if any(notes):
                flagged += 1
                flagged_maps += chart_id.startswith("map")
                assert set(notes) <= {word, ""}
                assert "note" in _tooltip_fields(spec), chart_id
                assert any(f"({word})" in label for label in legend), (chart_id, legend)
        assert flagged, f"no synthetic chart found in {lang}"
        assert flagged_maps == 2, f"both maps flag synthetic values in {lang}"


def test_single_years_are_dots_and_axes_end_at_the_last_year(client: TestClient) -> None:
    singles = lines = 0
    for phenomenon in PHENOMENA:
        html = client.get(f"/ilmio/{phenomenon}/HVA12").text
        for chart_id, spec, _legend in _figures(html):
            if not chart_id.startswith("trend-"):
                continue
            years = sorted({v["year"] for v in _values(spec)})
            marks = {layer["mark"]["type"] for layer in _layers(spec)}
            if len(years) == 1:
                singles += 1
                assert "line" not in marks
                x = next(la for la in _layers(spec) if la["mark"]["type"] == "point")
                assert str(years[0]) in x["encoding"]["x"]["title"]
            else:
                lines += 1
                line = next(la for la in _layers(spec) if la["mark"]["type"] == "line")
                scale = line["encoding"]["x"]["scale"]
                assert scale["domain"] == [years[0], years[-1]] and scale["nice"] is False
    assert singles and lines


def test_counts_of_different_areas_do_not_share_an_axis(client: TestClient) -> None:
    html = client.get("/ilmio/asunnottomuus/HVA12").text
    population = [s for i, s, _ in _figures(html) if i.endswith("-population")]
    assert population
    for spec in population:
        assert spec["facet"]["row"]["field"] == "area"
        assert spec["resolve"]["scale"]["y"] == "independent"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_map_outlines_the_chosen_area_and_explains_gaps(client: TestClient, lang: str) -> None:
    words = {
        "fi": ("ei tietoa", "salattu", "Valittu alue"),
        "sv": ("inga uppgifter", "skyddad", "Valt område"),
        "en": ("no data", "suppressed", "Chosen area"),
    }[lang]
    for area in ("HVA12", "KU091", "YTA2"):
        html = client.get(f"/ilmio/asunnottomuus/{area}?lang={lang}").text
        maps = {i: (s, legend) for i, s, legend in _figures(html) if i.startswith("map")}
        assert set(maps) == {"map-chart", "map-comparison-chart"}
        for spec, legend in maps.values():
            outline = [la for la in spec["layer"] if la.get("name") == "chosen_outline"]
            assert len(outline) == 1
            assert {"filter": {"field": "code", "equal": area}} in outline[0]["transform"]
            assert set(words) <= set(legend), legend
        compared = maps["map-comparison-chart"][0]["layer"][0]["encoding"]["color"]
        assert compared["field"] == "comparison"
        assert 'id="map-mode-comparison"' in html


def test_the_whole_country_has_no_outline(client: TestClient) -> None:
    html = client.get("/ilmio/asunnottomuus/SSS").text
    for chart_id, spec, _legend in _figures(html):
        if chart_id.startswith("map"):
            assert not [la for la in spec["layer"] if la.get("name") == "chosen_outline"]


def test_the_overview_colours_each_cell_by_its_comparison(client: TestClient) -> None:
    html = client.get("/tilannekuva/HVA12").text
    cells = re.findall(r'<td class="num cmp-([a-z_]+)"[^>]*>.*?</td>', html, re.S)
    assert {"better", "worse"} & set(cells)
    symbols = {"better": "▲", "similar": "●", "worse": "▼", "higher": "△", "lower": "▽"}
    for key, cell in re.findall(r'<td class="num cmp-([a-z_]+)"[^>]*>(.*?)</td>', html, re.S):
        if key in symbols:
            assert symbols[key] in cell  # colour is never the only carrier


def test_the_glance_shows_the_spine_and_similar_areas_with_the_method(
    client: TestClient,
) -> None:
    html = client.get("/ilmio/taloudellinen-tilanne/KU091").text
    assert 'id="spine-chart"' in html and 'id="spine-table"' in html
    assert 'id="similar-table"' in html and "Menetelmä:" in html
    similar_rows = re.findall(
        r'<tr[^>]*data-region="(KU\d{3})"', html.split('id="similar-table"')[1].split("</table>")[0]
    )
    assert len(similar_rows) == 11 and "KU091" in similar_rows
    country = client.get("/ilmio/taloudellinen-tilanne/SSS").text
    assert 'id="spine-chart"' not in country and 'id="similar-table"' not in country
