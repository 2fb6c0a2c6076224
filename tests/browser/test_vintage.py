"""In Chromium: the vintage banner and the synthetic labels on each view type in fi/sv/en."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from raketieto.settings import Settings
from tests.browser.test_walk import AXE, WCAG, _charts_drawn
from tests.clock import Calendar
from tests.web.shown_values import Cube
from tests.web.test_synthetic_labels import LABEL, check_page

pytestmark = pytest.mark.browser

BANNER = {"fi": "Tiedot ovat vanhoja.", "sv": "Uppgifterna är gamla.", "en": "The data are old."}


@pytest.fixture(scope="module")
def cube(demo_settings: Settings) -> Cube:
    """The demo cube read independently of the app."""
    return Cube(demo_settings)


@pytest.fixture
def far_future(served_app: Any) -> Iterator[None]:
    """The served app's date set to 2100, when every real value of the demo cube is old."""
    state = served_app.state.raketieto
    original = state.today
    state.today = Calendar(dt.date(2100, 1, 1))
    yield
    state.today = original


def _views(cube: Cube) -> list[str]:
    """One page of each view type; the phenomenon views on an indicator with synthetic values."""
    synthetic = sorted(cube.synthetic_indicators)[0]
    phenomenon = next(
        p.id for p in cube.catalogue.phenomena.values() if synthetic in _members(cube, p.id)
    )
    return [
        "/tilannekuva/HVA12",
        f"/ilmio/{phenomenon}/HVA12?indicator={synthetic}",
        f"/ilmionakyma/{phenomenon}/KU297",
        f"/ilmionakyma/{phenomenon}/KU297?indicator={synthetic}",
    ]


def _members(cube: Cube, phenomenon: str) -> set[str]:
    from raketieto.reports.phenomenon import phenomenon_indicators

    return {i.id for i in phenomenon_indicators(cube.catalogue, phenomenon)}


@pytest.mark.usefixtures("far_future")
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_banner_and_synthetic_labels_are_shown_and_accessible(
    page: Any, cube: Cube, artifacts: Path, lang: str
) -> None:
    script = AXE.read_text(encoding="utf-8")
    seen: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    violations = {}
    for view in _views(cube):
        page.goto(f"{view}&lang={lang}" if "?" in view else f"{view}?lang={lang}")
        if page.locator(".chart").count():
            _charts_drawn(page)
        before = Counter(seen)
        assert check_page(cube, view, page.content(), lang, seen) == []
        # Every real value of the demo cube is old in 2100: a page showing one has the banner.
        banner = page.locator(".vintage-banner")
        if seen["real values"] > before["real values"]:
            assert banner.is_visible(), view
            assert BANNER[lang] in banner.inner_text()
            kinds["banner"] += 1
        else:
            assert banner.count() == 0, view
        if seen["synthetic values"] > before["synthetic values"]:
            kinds["synthetic"] += 1
            tag = page.locator(".synthetic-tag").first
            assert tag.is_visible(), view
            assert tag.inner_text() == LABEL[lang]
            assert page.locator(".synthetic-banner").is_visible()
        name = view.strip("/").replace("?indicator=", "-").replace("/", "-")
        page.screenshot(path=str(artifacts / f"vintage-{name}-{lang}.png"), full_page=True)
        page.add_script_tag(content=script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        violations[view] = [(v["id"], v["nodes"][0]["html"][:120]) for v in result["violations"]]
    assert violations == {view: [] for view in _views(cube)}
    assert kinds["banner"] >= 3 and kinds["synthetic"] >= 2
