"""Walk every view and fail where a synthetic value appears without its synthetic label.

The cube says which facts are synthetic; tests/web/shown_values.py finds each rendered number
and the fact it stands for. A number of a synthetic fact needs the label beside it, a real one
must not have it; chart data rows carry the fact's synthetic flag, and a chart's sentence says
"synthetic" when its table shows a synthetic number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from raketieto.reports.phenomenon import phenomenon_indicators
from raketieto.settings import Settings
from tests.web.shown_values import Cube, Page, ShownValue

LABEL = {"fi": "synteettinen", "sv": "syntetisk", "en": "synthetic"}
STEM = {"fi": "synteet", "sv": "syntet", "en": "synthetic"}
AREAS = ["SSS", "YTA1", "HVA12", "KU091"]
RANKING_TABLES = {
    "ranking-chart": "ranking-table",
    "map-chart": "ranking-table",
    "map-comparison-chart": "ranking-table",
    "similar-chart": "similar-table",
    "comparison-chart": "comparison-table",
    "series-chart": "series-table",
}


@pytest.fixture(scope="module")
def cube(demo_settings: Settings) -> Cube:
    """The demo cube read independently of the app."""
    return Cube(demo_settings)


def urls(cube: Cube, area: str, lang: str) -> Iterator[str]:
    """Every route type for one area: defaults, each synthetic indicator, levels, a year."""
    suffix = f"lang={lang}"
    yield f"/tilannekuva/{area}?{suffix}"
    for year in cube.synthetic_years:
        yield f"/tilannekuva/{area}?year={year}&{suffix}"
    for phenomenon in cube.catalogue.phenomena:
        members = [i.id for i in phenomenon_indicators(cube.catalogue, phenomenon)]
        synthetic = [i for i in members if i in cube.synthetic_indicators]
        real = [i for i in members if i not in cube.synthetic_indicators][:1]
        yield f"/ilmio/{phenomenon}/{area}?{suffix}"
        yield f"/ilmionakyma/{phenomenon}/{area}?{suffix}"
        for indicator in [*synthetic, *real]:
            yield f"/ilmio/{phenomenon}/{area}?indicator={indicator}&{suffix}"
            yield f"/ilmionakyma/{phenomenon}/{area}?indicator={indicator}&{suffix}"
        for level in ("yta", "municipality"):
            chosen = synthetic[0] if synthetic else members[0]
            yield f"/ilmio/{phenomenon}/{area}?indicator={chosen}&level={level}&{suffix}"


def _fact(cube: Cube, value: ShownValue) -> Any:
    keys = value.keys
    return cube.index.at(
        keys["data-indicator"],
        keys["data-region"],
        int(keys["data-year"]),
        keys.get("data-sex", "total"),
        keys.get("data-age-group", "total"),
    )


def _spec_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    data = spec.get("data", {})
    if "values" in data:
        return list(data["values"])
    for step in spec.get("transform", []):
        if "lookup" in step:
            return list(step["from"]["data"]["values"])
    return []


def check_page(cube: Cube, url: str, html: str, lang: str, seen: Counter[str]) -> list[str]:
    """Every problem with the synthetic labels of one page (empty when all is well)."""
    page = Page(html)
    problems: list[str] = []
    synthetic_tables: set[str] = set()
    for value in page.values:
        missing = [
            k for k in ("data-indicator", "data-region", "data-year") if not value.keys.get(k)
        ]
        if missing:
            problems.append(f"{url}: value {value.text!r} cannot be traced to a fact ({missing})")
            continue
        fact = _fact(cube, value)
        if fact is None or fact.value is None:
            problems.append(f"{url}: value {value.text!r} {value.keys} is not a value in the cube")
            continue
        tags = value.container.tags if value.container is not None else []
        labelled = LABEL[lang] in tags
        if fact.synthetic:
            seen["synthetic values"] += 1
            synthetic_tables.add(value.keys.get("table", ""))
        else:
            seen["real values"] += 1
        if fact.synthetic != labelled:
            what = "synthetic value without" if fact.synthetic else "real value with"
            problems.append(f"{url}: {what} the label: {value.text!r} {value.keys}")
    names = {}
    for region in cube.division.regions.values():
        names.setdefault(region.name(lang), []).append(region.code)
    for chart in page.specs:
        table_id = RANKING_TABLES.get(chart.chart_id, f"{chart.chart_id}-table")
        table = page.tables.get(table_id, {})
        indicator = table.get("data-indicator") or chart.keys.get("data-indicator", "")
        in_table = page.table_regions.get(table_id, set())
        for row in _spec_rows(chart.spec):
            if row.get("value") is None:
                continue
            code = row.get("code") or next(
                (c for c in names.get(row.get("area", ""), []) if c in in_table), None
            )
            year = row.get("year", table.get("data-year"))
            if code is None or not year:
                problems.append(f"{url}: chart {chart.chart_id} row {row} names no area or year")
                continue
            fact = cube.index.at(indicator, code, int(year))
            if fact is None:
                problems.append(f"{url}: chart {chart.chart_id} row {row} is not in the cube")
                continue
            seen["chart rows"] += 1
            if "synthetic" not in row or row["synthetic"] != fact.synthetic:
                problems.append(
                    f"{url}: chart {chart.chart_id} row {row} does not mark synthetic="
                    f"{fact.synthetic}"
                )
        sentence = page.captions.get(chart.chart_id, "")
        if table_id in synthetic_tables:
            seen["synthetic sentences"] += 1
            if STEM[lang] not in sentence.lower():
                problems.append(f"{url}: sentence of {chart.chart_id} hides synthetic: {sentence}")
    if synthetic_tables and 'class="notice synthetic-banner"' not in html:
        problems.append(f"{url}: synthetic values but no notice at the top of the page")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("area", AREAS)
def test_every_synthetic_value_on_every_view_is_labelled(
    client: TestClient, cube: Cube, area: str, lang: str
) -> None:
    seen: Counter[str] = Counter()
    problems: list[str] = []
    kinds: Counter[str] = Counter()
    for url in urls(cube, area, lang):
        response = client.get(url)
        assert response.status_code == 200, url
        before = seen["synthetic values"]
        problems.extend(check_page(cube, url, response.text, lang, seen))
        if seen["synthetic values"] > before:
            kinds[url.split("/")[1]] += 1
    assert problems[:20] == []
    # The walk saw synthetic values on both phenomenon views (the demo's headline indicators,
    # which the tilannekuva shows, are real), so the checks above could fail.
    assert {"ilmio", "ilmionakyma"} <= set(kinds)
    assert seen["real values"] > 0 and seen["chart rows"] > 0
    assert seen["synthetic values"] > 0 and seen["synthetic sentences"] > 0


def test_the_check_fails_on_an_unlabelled_synthetic_value(client: TestClient, cube: Cube) -> None:
    url = "/ilmionakyma/mielenterveys/HVA12?indicator=mental-health-support-need-per-1000"
    html = client.get(url).text
    assert check_page(cube, url, html, "fi", Counter()) == []
    stripped = html.replace('<span class="synthetic-tag">synteettinen</span>', "")
    assert any(
        "synthetic value without" in p for p in check_page(cube, url, stripped, "fi", Counter())
    )
    unmarked = re.sub(r'"synthetic":\s*true', '"synthetic": false', html)
    assert unmarked != html
    assert any("does not mark" in p for p in check_page(cube, url, unmarked, "fi", Counter()))
