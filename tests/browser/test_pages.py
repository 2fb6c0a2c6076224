# ruff: noqa: F811  (the imported server fixture is taken as a parameter by name)
"""In Chromium: the new pages in three languages, 390 px without sideways scrolling, axe, and a
report form whose error keeps everything typed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.reporting.test_browser import server  # noqa: F401  (the app with a store and accounts)
from tests.store.conftest import PASSWORD

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = {"width": 390, "height": 844}
VIEWS = [
    "/",
    "/indikaattori",
    "/indikaattori?q=asunno",
    "/tilannekuva/SSS",
    "/tilannekuva/HVA13",
    "/ilmio/asunnottomuus/HVA13",
    "/ilmio/mielenterveys/KU297?level=municipality",
    "/ilmionakyma/taloudellinen-tilanne/HVA13",
    "/ilmionakyma/asunnottomuus/KU297",
    "/indikaattori/financial-support-need-per-1000",
    "/tilannekuva/Pertunmaa",
    "/kirjaudu",
]
HEADINGS = {
    "fi": ("Rakenteellisen sosiaalityön tietopalvelu", "Indikaattorit"),
    "sv": ("Informationstjänst för strukturellt socialt arbete", "Indikatorer"),
    "en": ("Information service for structural social work", "Indicators"),
}


def _context(browser: Any, base: str, **options: Any) -> Any:
    return browser.new_context(base_url=base, **options)


def _charts_settled(page: Any) -> None:
    page.wait_for_function(
        "document.querySelectorAll('.chart').length === "
        "document.querySelectorAll('.chart[data-ready], .chart[data-failed]').length",
        timeout=15000,
    )


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return int(
        page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - window.innerWidth"
        )
    )


def _login(page: Any, username: str) -> None:
    page.goto("/kirjaudu")
    page.get_by_label("Käyttäjätunnus", exact=True).fill(username)
    page.get_by_label("Salasana", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(re.compile(r"/raportit"))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_front_page_and_index_work_in_each_language(
    browser: Any,
    server: str,
    artifacts: Path,
    lang: str,
) -> None:
    context = _context(browser, server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"/?lang={lang}")
    front, index = HEADINGS[lang]
    assert page.locator("h1").inner_text() == front
    page.screenshot(path=str(artifacts / f"front-{lang}.png"), full_page=True)
    page.locator("main a", has_text=index).first.click()
    page.wait_for_url(re.compile(r"/indikaattori"))
    assert page.locator("h1").inner_text() == index
    total = page.locator(".indicator-list > li").count()
    # Typing filters the list (htmx), and the address keeps the search for the back button.
    page.fill("#q", "homeless" if lang != "sv" else "bostadslösa")
    page.wait_for_url(re.compile(r"q="))
    page.wait_for_function(f"document.querySelectorAll('.indicator-list > li').length < {total}")
    assert page.locator(".indicator-list a", has_text=re.compile("1[ ,]000")).count() >= 1
    page.select_option("#ilmio", "asunnottomuus")
    page.locator("form.choices button").click()
    page.wait_for_url(re.compile(r"ilmio=asunnottomuus"))
    page.screenshot(path=str(artifacts / f"indikaattori-haku-{lang}.png"), full_page=True)
    page.go_back()
    page.wait_for_url(re.compile(r"q="))
    context.close()


def test_the_index_works_without_javascript(browser: Any, server: str) -> None:
    context = _context(browser, server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/indikaattori?lang=en")
    page.fill("#q", "suicide")
    page.locator("form.choices button").click()
    page.wait_for_url(re.compile(r"q=suicide"))
    assert page.locator(".indicator-list > li").count() == 1
    context.close()


def test_no_page_is_wider_than_a_390_px_screen(
    browser: Any,
    server: str,
    artifacts: Path,
) -> None:
    context = _context(browser, server, viewport=NARROW, is_mobile=True, has_touch=True)
    page = context.new_page()
    wider = {}
    for view in VIEWS:
        for lang in ("fi", "sv"):
            joiner = "&" if "?" in view else "?"
            page.goto(f"{view}{joiner}lang={lang}")
            if page.locator(".chart").count():
                _charts_settled(page)
            if _overflow(page) > 0:
                wider[f"{view} ({lang})"] = _overflow(page)
        name = re.sub(r"[^A-Za-z0-9]+", "-", view).strip("-") or "front"
        page.screenshot(path=str(artifacts / f"390px-{name}.png"), full_page=True)
    _login(page, "koordinaattori")
    for view in ("/raportit/uusi", "/teemat", "/ehdotukset/uusi", "/kasittely"):
        page.goto(view)
        if _overflow(page) > 0:
            wider[view] = _overflow(page)
        page.screenshot(path=str(artifacts / f"390px{view.replace('/', '-')}.png"), full_page=True)
    assert wider == {}
    # The comparison column stays in the table (inside its own scrolling box).
    page.goto("/ilmionakyma/asunnottomuus/HVA13")
    headers = page.locator("#comparison-table thead th").all_inner_texts()
    assert "Vertailu koko maahan" in headers
    context.close()


def test_a_form_error_keeps_everything_typed(
    browser: Any,
    server: str,
    artifacts: Path,
) -> None:
    context = _context(browser, server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, "tyontekija")
    page.goto("/raportit/uusi?lang=en")
    typed = {
        "#emerging_name": "",
        "#target_group": "young adults",
        "#description": "Queues to supported housing have grown.",
        "#estimated_clients": "many",
        "#proposed_action": "More places.",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    page.select_option("#service_task", index=1)
    page.check("#need-housing")
    page.check("#need-financial")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_selector(".error-summary")
    page.screenshot(path=str(artifacts / "form-error-kept.png"), full_page=True)
    for selector, value in typed.items():
        assert page.input_value(selector) == value, selector
    assert page.input_value("#service_task") != ""
    assert page.is_checked("#need-housing") and page.is_checked("#need-financial")
    assert "many" in page.locator("#estimated_clients-error").inner_text()
    assert page.locator("#phenomenon_id-error").is_visible()
    assert page.get_attribute("#phenomenon_id", "aria-invalid") == "true"
    # The summary links to the field by its label.
    page.locator(".error-summary a", has_text="Phenomenon").first.click()
    assert page.evaluate("location.hash") == "#phenomenon_id"
    context.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_violations_on_the_new_pages(
    browser: Any,
    server: str,
    lang: str,
) -> None:
    script = AXE.read_text(encoding="utf-8")
    context = _context(browser, server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}

    def check(view: str) -> None:
        page.add_script_tag(content=script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        found[view] = [(v["id"], v["nodes"][0]["html"][:120]) for v in result["violations"]]

    for view in ("/", "/indikaattori", "/indikaattori?q=zzzz", "/tilannekuva/Pertunmaa"):
        joiner = "&" if "?" in view else "?"
        page.goto(f"{view}{joiner}lang={lang}")
        check(view)
    _login(page, "tyontekija")
    page.goto(f"/raportit/uusi?lang={lang}")
    page.locator("button[value=submit]").click()
    page.wait_for_selector(".error-summary")
    check("report form with errors")
    assert found == {view: [] for view in found}
    context.close()
