"""Walk the views in Chromium: drill-down for every phenomenon, languages, keyboard, axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _drill(page: Any, pattern: str, pick: int) -> str:
    """Follow the pick-th drill-down link (wrapping around); return the new area code."""
    links = page.locator(".drilldown a")
    links.nth(pick % links.count()).click()
    page.wait_for_url(re.compile(pattern))
    return str(page.url).rsplit("/", 1)[1]


def _charts_drawn(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('.chart').length === "
        "document.querySelectorAll('.chart[data-ready], .chart[data-failed]').length",
        timeout=15000,
    )
    assert page.locator(".chart[data-failed]").count() == 0


@pytest.mark.parametrize("phenomenon", PHENOMENA)
def test_drill_down_from_finland_to_a_municipality(
    page: Any, artifacts: Path, phenomenon: str
) -> None:
    page.goto(f"/ilmio/{phenomenon}/SSS")
    _charts_drawn(page)
    page.screenshot(path=str(artifacts / f"{phenomenon}-1-glance-SSS.png"))
    for step, pattern in enumerate((r"/YTA\d$", r"/HVA\d\d$", r"/KU\d{3}$"), start=2):
        code = _drill(page, rf"/ilmio/{phenomenon}{pattern}", PHENOMENA.index(phenomenon))
        _charts_drawn(page)
        page.screenshot(path=str(artifacts / f"{phenomenon}-{step}-glance-{code}.png"))
    area = page.url.rsplit("/", 1)[1]
    page.locator(".view-links a", has_text="Ilmiönäkymä").click()
    page.wait_for_url(re.compile(rf"/ilmionakyma/{phenomenon}/{area}"))
    _charts_drawn(page)
    assert page.locator("#comparison-table tr.highlighted").count() == 1
    page.screenshot(path=str(artifacts / f"{phenomenon}-5-view-{area}.png"), full_page=True)
    crumbs = page.locator(".breadcrumbs a")
    assert crumbs.count() == 3  # Finland, the collaborative area, the county
    crumbs.nth(1).click()
    page.wait_for_url(re.compile(rf"/ilmionakyma/{phenomenon}/YTA\d$"))


def test_situational_picture_and_definition_screenshots(page: Any, artifacts: Path) -> None:
    page.goto("/tilannekuva/SSS")
    page.screenshot(path=str(artifacts / "tilannekuva-SSS.png"), full_page=True)
    page.locator("#overview-grid tbody th[scope=row] a").first.click()
    page.wait_for_url(re.compile(r"/indikaattori/"))
    page.screenshot(path=str(artifacts / "indikaattori.png"), full_page=True)


def test_switching_language_keeps_the_view(page: Any) -> None:
    page.goto("/ilmionakyma/mielenterveys/HVA12?year=2010")
    page.locator("#language-switcher a", has_text="På svenska").click()
    page.wait_for_url(re.compile(r"lang=sv"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "year=2010" in page.url
    assert page.locator("h1").inner_text().endswith("fenomenvy")
    page.locator("#language-switcher a", has_text="In English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_htmx_update_pushes_the_url_and_back_works(page: Any) -> None:
    page.goto("/ilmionakyma/taloudellinen-tilanne/HVA12")
    before = page.url
    page.select_option("#indicator", "sickness-allowance-16-64-per-1000")
    page.locator("form.choices button").click()
    page.wait_for_url(re.compile(r"indicator=sickness-allowance-16-64-per-1000"))
    page.wait_for_function(
        "document.querySelector('#indicator-heading').textContent.includes('16')"
    )
    page.go_back()
    page.wait_for_url(before)


def _tab_to(page: Any, text: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.textContent")
        if focused and focused.strip() == text:
            return
    raise AssertionError(f"could not reach '{text}' with the Tab key")


def test_one_path_by_keyboard_only(page: Any, artifacts: Path) -> None:
    page.goto("/tilannekuva/SSS")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_to(page, "Itä-Suomen yhteistyöalue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tilannekuva/YTA\d$"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link again, past the header's links
    _tab_to(page, "Mielenterveys")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ilmio/mielenterveys/YTA\d$"))
    _tab_to(page, "Ilmiönäkymä")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ilmionakyma/mielenterveys/YTA\d$"))
    page.screenshot(path=str(artifacts / "keyboard-end.png"))


VIEWS = [
    "/tilannekuva/HVA12",
    "/ilmio/mielenterveys/YTA2",
    "/ilmionakyma/asunnottomuus/HVA12",
    "/indikaattori/social-assistance-recipients-pct",
    "/ei-ole",
]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_wcag_violations(page: Any, lang: str) -> None:
    script = AXE.read_text(encoding="utf-8")
    found = {}
    for view in VIEWS:
        page.goto(f"{view}?lang={lang}")
        if page.locator(".chart").count():
            _charts_drawn(page)
        page.add_script_tag(content=script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        found[view] = [(v["id"], v["nodes"][0]["html"][:120]) for v in result["violations"]]
    assert found == {view: [] for view in VIEWS}
