"""The numbers shown equal the cube's, for random samples of area × indicator × year."""

from __future__ import annotations

import random
import re

import duckdb
from fastapi.testclient import TestClient

from raketieto.catalogue import load_catalogue
from raketieto.regions import Level, load_division
from raketieto.settings import Settings
from raketieto.web.format import number


def _shown(html: str, region_code: str) -> str | None:
    row = re.search(rf'<tr[^>]*data-region="{region_code}">(.*?)</tr>', html, re.S)
    if row is None:
        return None
    value = re.search(r'<span class="value">([^<]+)</span>', row.group(1))
    return value.group(1) if value else None


def test_comparison_tables_show_the_cubes_values(
    client: TestClient, demo_settings: Settings
) -> None:
    catalogue = load_catalogue()
    division = load_division(demo_settings.division_year)
    with duckdb.connect(str(demo_settings.cube_path), read_only=True) as cube:
        rows = cube.execute(
            "SELECT indicator_id, region_code, year, value FROM facts "
            "WHERE sex = 'total' AND age_group = 'total' AND value IS NOT NULL "
            "AND level = 'municipality'"
        ).fetchall()
    picked = random.Random(20261123).sample(rows, 12)
    for indicator_id, region_code, year, value in picked:
        indicator = catalogue.indicator(indicator_id)
        phenomenon = indicator.phenomena()[0]
        county = division.ancestor_at(region_code, Level.COUNTY).code
        for lang in ("fi", "en"):
            url = f"/ilmionakyma/{phenomenon}/{county}?indicator={indicator_id}&year={year}"
            html = client.get(f"{url}&lang={lang}").text
            expected = number(value, indicator.decimals, lang)
            assert _shown(html, region_code) == expected, (url, region_code, lang)


def test_overview_grid_shows_the_cubes_latest_values(
    client: TestClient, demo_settings: Settings
) -> None:
    catalogue = load_catalogue()
    html = client.get("/tilannekuva/YTA3").text
    cells = re.findall(
        r'data-region="(\w+)" data-indicator="([\w-]+)"><span class="value">([^<]+)</span>', html
    )
    assert cells
    with duckdb.connect(str(demo_settings.cube_path), read_only=True) as cube:
        for region_code, indicator_id, shown in random.Random(5).sample(cells, min(10, len(cells))):
            (value,) = cube.execute(
                "SELECT value FROM facts WHERE indicator_id = ? AND region_code = ? AND "
                "sex = 'total' AND age_group = 'total' AND value IS NOT NULL "
                "ORDER BY year DESC LIMIT 1",
                [indicator_id, region_code],
            ).fetchone() or (None,)
            assert shown == number(value, catalogue.indicator(indicator_id).decimals, "fi")
