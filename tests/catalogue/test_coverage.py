"""Coverage of the demo cube per phenomenon and level; headline indicators; missing reasons."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from raketieto.catalogue import load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Level, load_division
from raketieto.reports.coverage import CoverageRow, coverage, headline_without_any_data
from raketieto.reports.missing import MISSING_REASONS, missing_reason, missing_reason_code
from raketieto.reports.phenomenon import default_indicator
from raketieto.settings import Settings


@pytest.fixture(scope="module")
def rows(demo_settings: Settings) -> list[CoverageRow]:
    with CubeReader.open(demo_settings) as reader:
        return coverage(reader, load_catalogue(), load_division(2026))


def _row(rows: list[CoverageRow], phenomenon: str, level: str) -> CoverageRow:
    return next(r for r in rows if r.phenomenon_id == phenomenon and r.level == level)


def test_every_phenomenon_has_three_real_indicators_with_recent_county_values(
    rows: list[CoverageRow],
) -> None:
    for phenomenon in load_catalogue().phenomena:
        county = _row(rows, phenomenon, "hva")
        assert county.recent_real_indicators >= 3, phenomenon
        assert county.newest_real_year is not None and county.newest_real_year >= 2019


def _newest(settings: Settings, indicator: str, level: str) -> int:
    with CubeReader.open(settings) as reader:
        facts = reader.facts(indicator_ids=[indicator])
    real = facts[(facts["level"] == level) & ~facts["synthetic"] & facts["value"].notna()]
    return int(real["year"].max())


def test_homelessness_has_national_values_to_2025(demo_settings: Settings) -> None:
    assert _newest(demo_settings, "homeless-single-persons", "country") == 2025


@pytest.mark.parametrize("level", [level.value for level in Level])
def test_economic_situation_has_recent_unemployment_and_low_income(
    demo_settings: Settings, level: str
) -> None:
    assert _newest(demo_settings, "low-income-rate-pct", level) == 2022
    # 2024 has municipal rates only; they are weighted by the 2023 labour force (derived).
    assert _newest(demo_settings, "unemployed-pct-of-labour-force", level) == 2024


def test_the_first_headline_indicator_with_data_is_about_the_phenomenon(
    demo_settings: Settings,
) -> None:
    catalogue = load_catalogue()
    expected = {
        "asunnottomuus": "homeless-single-persons",
        "mielenterveys": "mental-health-index",
        "paihteet-ja-riippuvuudet": "alcohol-morbidity-index",
        "taloudellinen-tilanne": "low-income-rate-pct",
    }
    with CubeReader.open(demo_settings) as reader:
        chosen = {p: default_indicator(reader, catalogue, p) for p in catalogue.phenomena}
        absent = headline_without_any_data(reader, catalogue)
    assert chosen == expected
    # The check names the headline indicators the demo cube has no real values for.
    assert ("paihteet-ja-riippuvuudet", "alcohol-related-deaths-per-100000") in absent
    assert all(indicator not in expected.values() for _, indicator in absent)


def test_coverage_command_prints_and_writes_the_same_rows(
    demo_settings: Settings, rows: list[CoverageRow], tmp_path: Path
) -> None:
    target = tmp_path / "coverage.csv"
    result = subprocess.run(
        [sys.executable, "-m", "raketieto", "catalogue", "coverage", "--csv", str(target)],
        env={**os.environ, "RAKETIETO_DATA_DIR": str(demo_settings.data_dir), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "taloudellinen-tilanne" in result.stdout and "alcohol-related-deaths" in result.stdout
    with target.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [r["phenomenon_id"] for r in written] == [r.phenomenon_id for r in rows]
    assert [int(r["headline_cells_with_value"]) for r in written] == [
        r.headline_cells_with_value for r in rows
    ]
    assert len(written) == 4 * len(load_catalogue().phenomena)


def test_each_missing_reason_is_distinct_and_true() -> None:
    catalogue = load_catalogue()
    index = catalogue.indicator(
        "mental-health-index"
    )  # the source gives counties and municipalities
    rate = catalogue.indicator("long-term-unemployed-pct")  # a municipal rate without a denominator
    counts = catalogue.indicator("homeless-single-persons")
    assert missing_reason_code(index, "yta", has_any_data=True) == "outside_levels"
    assert missing_reason_code(rate, "hva", has_any_data=True) == "rate_only"
    assert missing_reason_code(counts, "hva", has_any_data=False) == "not_fetched"
    assert missing_reason_code(counts, "hva", has_any_data=True) == "not_fetched"
    assert missing_reason_code(rate, "hva", has_any_data=True, suppressed=True) == "suppressed"
    assert missing_reason_code(rate, "municipality", has_any_data=True) == "not_for_area"
    # Kuopio absorbed Maaninka (2015) and Juankoski (2017): a rate cannot be re-mapped.
    kuopio = {"has_any_data": True, "region_code": "KU297"}
    assert missing_reason_code(rate, "municipality", **kuopio) == "rate_only"
    assert missing_reason_code(index, "municipality", region_code="KU091", has_any_data=True) == (
        "not_for_area"
    )
    # Only quoted ARA figures are loaded, so a municipality without one was not fetched.
    assert missing_reason_code(counts, "municipality", **kuopio) == "not_fetched"
    for lang in ("fi", "sv", "en"):
        texts = [MISSING_REASONS[code][lang] for code in MISSING_REASONS]
        assert len(set(texts)) == len(texts)
    assert missing_reason(rate, "hva", has_any_data=True, lang="sv").startswith("publiceras")


def test_kuopio_says_why_its_rate_only_values_are_missing(demo_settings: Settings) -> None:
    from raketieto.reports.situation import situational_picture

    catalogue = load_catalogue()
    with CubeReader.open(demo_settings) as reader:
        picture = situational_picture(reader, catalogue, load_division(2026), "KU297", lang="en")
    reasons = {
        row.indicator_id: row.missing_reason
        for block in picture.blocks
        for row in block.indicators
        if row.year is None
    }
    rate_only = MISSING_REASONS["rate_only"]["en"]
    assert reasons["psychiatric-inpatients-0-17-per-1000"] == rate_only
    assert reasons["homeless-single-persons"] == MISSING_REASONS["not_fetched"]["en"]
