"""Charts in Chromium: every chart shows its legend, the map outlines the chosen area, axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_walk import AXE, WCAG, _charts_drawn

pytestmark = pytest.mark.browser

PAGES = {
    "glance-SSS": "/ilmio/asunnottomuus/SSS",
    "glance-HVA12": "/ilmio/asunnottomuus/HVA12",
    "glance-KU091": "/ilmio/taloudellinen-tilanne/KU091",
    "view-HVA12": "/ilmionakyma/mielenterveys/HVA12",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_chart_shows_a_legend(page: Any, artifacts: Path, name: str) -> None:
    page.goto(PAGES[name])
    _charts_drawn(page)
    figures = page.locator("figure.chart-figure")
    assert figures.count() > 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        chart = figure.locator(".chart")
        if not chart.is_visible():
            continue  # the map not switched on; checked in the map test
        chart_id = chart.get_attribute("id")
        items = figure.locator(".chart-legend li")
        assert items.count() > 0, f"{name}: {chart_id} has no legend"
        for n in range(items.count()):
            assert items.nth(n).is_visible()
            assert items.nth(n).inner_text().strip()
        assert chart.locator("svg").count() == 1, f"{name}: {chart_id} was not drawn"
        figure.screenshot(path=str(artifacts / f"chart-{name}-{chart_id}.png"))


def _outlines(page: Any, chart: str) -> int:
    """Paths Vega drew with the chosen area's outline stroke."""
    return int(
        page.evaluate(
            "id => Array.from(document.querySelectorAll('#' + id + ' svg path'))"
            ".filter(p => p.getAttribute('stroke-width') === '2.5' && "
            "p.getAttribute('stroke') === '#000000' && p.getAttribute('d')).length",
            chart,
        )
    )


@pytest.mark.parametrize("area", ["HVA12", "KU091"])
def test_the_map_outlines_the_chosen_area_in_both_modes(
    page: Any, artifacts: Path, area: str
) -> None:
    # An indicator compared with the country (the default, a homelessness count, is not).
    page.goto(f"/ilmio/asunnottomuus/{area}?indicator=social-assistance-recipients-pct")
    _charts_drawn(page)
    values, comparison = page.locator("#map-chart"), page.locator("#map-comparison-chart")
    assert values.is_visible() and not comparison.is_visible()
    assert _outlines(page, "map-chart") >= 1
    legend = page.locator("#map-chart-legend").inner_text()
    assert "ei tietoa" in legend and "salattu" in legend and "Valittu alue" in legend
    page.locator(".map-switch").screenshot(path=str(artifacts / f"map-{area}-values.png"))
    page.locator("label[for=map-mode-comparison]").click()
    assert comparison.is_visible() and not values.is_visible()
    assert _outlines(page, "map-comparison-chart") >= 1
    assert "kuin koko maa" in page.locator("#map-comparison-chart-legend").inner_text()
    page.locator(".map-switch").screenshot(path=str(artifacts / f"map-{area}-comparison.png"))


def test_the_map_has_no_outline_for_the_whole_country(page: Any) -> None:
    page.goto("/ilmio/asunnottomuus/SSS")
    _charts_drawn(page)
    assert _outlines(page, "map-chart") == 0
    assert "Valittu alue" not in page.locator("#map-chart-legend").inner_text()


def test_charts_fit_a_phone_screen(browser: Any, base_url: str, artifacts: Path) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(PAGES["glance-KU091"])
        _charts_drawn(page)
        widths = page.evaluate(
            "Array.from(document.querySelectorAll('figure.chart-figure'))"
            ".filter(f => f.offsetParent !== null).map(f => f.getBoundingClientRect().right)"
        )
        assert widths and max(widths) <= 390
        page.screenshot(path=str(artifacts / "charts-390px.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_nothing_in_the_charts_sections(page: Any, lang: str) -> None:
    script = AXE.read_text(encoding="utf-8")
    found = {}
    for name, path in [*PAGES.items(), ("tilannekuva-SSS", "/tilannekuva/SSS")]:
        page.goto(f"{path}?lang={lang}")
        if page.locator(".chart").count():
            _charts_drawn(page)
        for mode in ("values", "comparison"):
            if page.locator(f"label[for=map-mode-{mode}]").count():
                page.locator(f"label[for=map-mode-{mode}]").click()
            page.add_script_tag(content=script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
            )
            found[(name, mode)] = [
                (v["id"], v["nodes"][0]["html"][:120]) for v in result["violations"]
            ]
    assert found == {key: [] for key in found}
