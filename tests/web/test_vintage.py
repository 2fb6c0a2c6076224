"""Every page says how old its newest real value is; the footer and the year choice are honest."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from raketieto.cube.query import CubeReader
from raketieto.reports.cells import Cell
from raketieto.reports.vintage import Shown, Vintage, nearest_year, vintage
from raketieto.settings import Settings
from tests.clock import Calendar
from tests.web.shown_values import Cube, Page

VIEWS = [
    "/tilannekuva/SSS",
    "/tilannekuva/HVA12",
    "/ilmio/mielenterveys/YTA2",
    "/ilmio/asunnottomuus/KU091",
    "/ilmionakyma/asunnottomuus/HVA12",
    "/ilmionakyma/taloudellinen-tilanne/KU297",
]
BANNER = re.compile(r'<div class="notice vintage-banner" role="note">(.*?)</div>', re.S)
NOTICE = re.compile(r'<p class="notice year-notice" role="note">(.*?)</p>', re.S)
BUILT = {"fi": "Tietokanta koottu", "sv": "Databasen sammanställd", "en": "Database built"}
UP_TO = {
    "fi": "Tiedot vuoteen {} asti.",
    "sv": "Uppgifter till och med år {}.",
    "en": "Data up to {}.",
}


@pytest.fixture(scope="module")
def cube(demo_settings: Settings) -> Cube:
    """The demo cube read independently of the app."""
    return Cube(demo_settings)


@pytest.fixture
def calendar(client: TestClient) -> Iterator[Calendar]:
    """The app's date, set by the test (cached pages are kept per date)."""
    state = client.app.state.raketieto  # type: ignore[attr-defined]
    original = state.today
    state.today = Calendar(dt.date(2026, 12, 3))
    yield state.today
    state.today = original


def _cell(year: int, synthetic: bool, value: float | None = 1.0) -> Cell:
    return Cell(year, value, None, None, "not_compared", False, None, synthetic)


def _newest_real(cube: Cube, html: str) -> tuple[int, set[str]]:
    """The newest year of a real value the page shows, and those values' source versions."""
    real = []
    for value in Page(html).values:
        keys = value.keys
        fact = cube.index.at(keys["data-indicator"], keys["data-region"], int(keys["data-year"]))
        if fact is not None and not fact.synthetic:
            real.append((int(keys["data-year"]), keys["data-indicator"], keys["data-region"]))
    newest = max(year for year, _, _ in real)
    versions = set()
    for year, indicator, region in real:
        if year == newest:
            rows = cube.query(
                "SELECT source_version FROM facts WHERE indicator_id = ? AND region_code = ? "
                "AND year = ? AND sex = 'total' AND age_group = 'total'",
                [indicator, region, year],
            )
            versions.update(str(r[0]) for r in rows if r[0])
    return newest, versions


def test_staleness_is_three_years_after_the_end_of_the_newest_year() -> None:
    old = Vintage(2022, (), ())
    assert not old.is_stale(dt.date(2025, 12, 31))
    assert old.is_stale(dt.date(2026, 1, 1))
    assert not Vintage(None, (), (2024,)).is_stale(dt.date(2100, 1, 1))


def test_the_nearest_year_prefers_the_later_one_on_a_tie() -> None:
    assert nearest_year([2010, 2012, 2020], 2011) == 2012
    assert nearest_year([2010, 2012, 2020], 2017) == 2020
    assert nearest_year([2010], 1990) == 2010
    assert nearest_year([], 2010) is None


def test_vintage_takes_the_newest_real_year_and_keeps_synthetic_apart(
    demo_settings: Settings, cube: Cube
) -> None:
    indicator, years = next(
        (i, years)
        for i in cube.catalogue.indicators
        if i not in cube.synthetic_indicators
        and (years := [y for y, f in cube.index.by_year(i, "SSS").items() if f.value is not None])
    )
    shown = [
        Shown(indicator, "SSS", _cell(years[0], False)),
        Shown(indicator, "SSS", _cell(years[-1], False)),
        Shown(indicator, "SSS", _cell(years[-1] + 5, True)),
        Shown(indicator, "SSS", _cell(years[-1] + 9, False, value=None)),  # a gap shows nothing
    ]
    with CubeReader.open(demo_settings) as reader:
        found = vintage(reader, shown)
    assert found.newest_year == years[-1]
    assert found.synthetic_years == (years[-1] + 5,)
    expected = cube.query(
        "SELECT DISTINCT source_version FROM facts WHERE indicator_id = ? AND region_code = 'SSS' "
        "AND year = ?",
        [indicator, years[-1]],
    )
    assert {e.source_version for e in found.extracts} == {str(r[0]) for r in expected}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("view", VIEWS)
def test_an_old_page_says_its_newest_year_and_source_extract(
    client: TestClient, cube: Cube, calendar: Calendar, view: str, lang: str
) -> None:
    html = client.get(f"{view}?lang={lang}").text
    newest, versions = _newest_real(cube, html)
    calendar.today = dt.date(newest + 3, 12, 31)
    recent = client.get(f"{view}?lang={lang}").text
    assert BANNER.search(recent) is None
    calendar.today = dt.date(newest + 4, 1, 1)
    stale = client.get(f"{view}?lang={lang}").text
    banner = BANNER.search(stale)
    assert banner is not None
    assert str(newest) in banner.group(1)
    assert versions and all(v in banner.group(1) for v in versions)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_footer_separates_the_build_from_the_data_years(
    client: TestClient, cube: Cube, lang: str
) -> None:
    html = client.get(f"/ilmio/paihteet-ja-riippuvuudet/HVA12?lang={lang}").text
    footer = html[html.index('<footer class="site-footer">') :]
    (newest,) = cube.query("SELECT max(year) FROM facts WHERE value IS NOT NULL AND NOT synthetic")
    assert BUILT[lang] in footer
    assert UP_TO[lang].format(newest[0]) in footer
    if cube.synthetic_years:
        assert str(cube.synthetic_years[-1]) in footer[footer.index('class="synthetic-years"') :]


def _options(html: str) -> list[int]:
    select = re.search(r'<select id="year" name="year">(.*?)</select>', html, re.S)
    assert select is not None
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', select.group(1))]


def _selected(html: str) -> str:
    select = re.search(r'<select id="year" name="year">(.*?)</select>', html, re.S)
    assert select is not None
    found = re.search(r'<option value="(\d*)" selected>', select.group(1))
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    "view",
    [
        "/tilannekuva/HVA12",
        "/ilmio/asunnottomuus/HVA12?indicator=social-assistance-recipients-pct",
        "/ilmionakyma/mielenterveys/KU091",
    ],
)
def test_the_year_choice_offers_only_years_with_data_and_the_nearest_stands_in(
    client: TestClient, cube: Cube, view: str
) -> None:
    joiner = "&" if "?" in view else "?"
    years = _options(client.get(view).text)
    assert years
    for year in {years[0], years[len(years) // 2], years[-1]}:
        page = client.get(f"{view}{joiner}year={year}").text
        assert NOTICE.search(page) is None, year
        shown = {int(v.keys["data-year"]) for v in Page(page).values}
        assert year in shown
        assert _selected(page) == str(year)
    cube_years = cube.index.years
    gaps = [y for y in range(cube_years[0], cube_years[-1] + 1) if y not in years]
    assert gaps, "the demo cube has years without data in this view"
    for gap in (gaps[0], gaps[-1]):
        nearest = min(years, key=lambda y: (abs(y - gap), -y))
        response = client.get(f"{view}{joiner}year={gap}")
        assert response.status_code == 200
        notice = NOTICE.search(response.text)
        assert notice is not None and str(gap) in notice.group(1)
        assert str(nearest) in notice.group(1)
        assert _selected(response.text) == str(nearest)
        assert nearest in {int(v.keys["data-year"]) for v in Page(response.text).values}


def test_an_old_indicator_definition_says_its_newest_real_year(
    client: TestClient, cube: Cube, calendar: Calendar
) -> None:
    indicator = "social-assistance-recipients-pct"
    ((newest, version),) = cube.query(
        "SELECT year, source_version FROM facts WHERE indicator_id = ? AND NOT synthetic "
        "AND value IS NOT NULL ORDER BY year DESC LIMIT 1",
        [indicator],
    )
    assert isinstance(newest, int)
    calendar.today = dt.date(newest + 3, 12, 31)
    assert BANNER.search(client.get(f"/indikaattori/{indicator}").text) is None
    calendar.today = dt.date(newest + 4, 1, 1)
    banner = BANNER.search(client.get(f"/indikaattori/{indicator}?lang=sv").text)
    assert banner is not None and str(newest) in banner.group(1) and str(version) in banner.group(1)
