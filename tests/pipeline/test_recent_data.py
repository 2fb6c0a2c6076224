"""The recent public data in the demo cube equal hand computations from the shipped files."""

from __future__ import annotations

import csv
import gzip
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from raketieto.cube.query import CubeReader
from raketieto.errors import DataError
from raketieto.pipeline.recent import area_code_127y
from raketieto.regions import Level, load_division
from raketieto.regions.remap import remap_codes
from raketieto.settings import Settings
from raketieto.stats.intervals import interval_for_unit

RECENT = Path(__file__).resolve().parents[2] / "src/raketieto/data/recent"
COUNTS = RECENT / "unemployment/statfin_tyonv_12r5_kunnat_2006-01_2023-10__pttry.csv.gz"
RATES = (
    RECENT / "unemployment/statfin_tyonv_12r5_TYOTOSUUS_kunnat_2007-01_2025-01__kangasala.csv.gz"
)
LOW_INCOME = RECENT / "low_income/statfin_tjt_127y_pienituloisuus_kunnittain_1995-2022.csv.gz"
SOTKANET = RECENT / "sotkanet/sotkanet_2019_kunnat_15_indicators__olliLeh.csv.gz"
HOMELESS = RECENT / "homelessness/ara_homelessness_reference_values_from_public_pages.csv"
UNEMPLOYED = "unemployed-pct-of-labour-force"


@pytest.fixture(scope="module")
def facts(demo_settings: Settings) -> pd.DataFrame:
    with CubeReader.open(demo_settings) as reader:
        return reader.facts()


def _fact(facts: pd.DataFrame, indicator: str, region: str, year: int) -> pd.Series:
    rows = facts[
        (facts["indicator_id"] == indicator)
        & (facts["region_code"] == region)
        & (facts["year"] == year)
    ]
    assert len(rows) == 1, (indicator, region, year)
    return rows.iloc[0]


def _hand_annual_means() -> dict[tuple[str, int, str], float]:
    """(area, year, variable) -> mean of the 12 month-end values, by plain csv + statistics."""
    months: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    with gzip.open(COUNTS, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["tiedot"] in ("TYOTTOMATLOPUSSA", "TYOVOIMATK") and row["value"] != "":
                months[(row["alue_code"], int(row["month"][:4]), row["tiedot"])].append(
                    float(row["value"])
                )
    return {key: statistics.fmean(v) for key, v in months.items() if len(v) == 12}


@pytest.mark.parametrize("year", [2008, 2015, 2019, 2022])
def test_annual_unemployment_equals_the_hand_computation(facts: pd.DataFrame, year: int) -> None:
    means = _hand_annual_means()
    for code in ("KU091", "KU297", "KU837"):  # Helsinki, Kuopio, Tampere
        unemployed = means[(code, year, "TYOTTOMATLOPUSSA")]
        labour = means[(code, year, "TYOVOIMATK")]
        fact = _fact(facts, UNEMPLOYED, code, year)
        assert fact["numerator"] == pytest.approx(unemployed, rel=1e-12)
        assert fact["denominator"] == pytest.approx(labour, rel=1e-12)
        assert fact["value"] == pytest.approx(100 * unemployed / labour, rel=1e-12)
        assert not fact["derived"]
    # The country of the cube is the mainland (Åland is outside the system).
    aland = {"KU" + c for c in load_division(2026).aland_municipalities()}
    mainland = [
        (area, variable)
        for (area, y, variable) in means
        if y == year and area.startswith("KU") and area not in aland
    ]
    unemployed = sum(means[(a, year, v)] for a, v in mainland if v == "TYOTTOMATLOPUSSA")
    labour = sum(means[(a, year, v)] for a, v in mainland if v == "TYOVOIMATK")
    country = _fact(facts, UNEMPLOYED, "SSS", year)
    assert country["numerator"] == pytest.approx(unemployed, rel=1e-12)
    assert country["denominator"] == pytest.approx(labour, rel=1e-12)
    assert country["aggregated"]


def test_county_collaborative_area_and_country_sums_are_exact(facts: pd.DataFrame) -> None:
    division = load_division(2026)
    means = _hand_annual_means()
    for level in (Level.COUNTY, Level.COLLABORATIVE_AREA, Level.COUNTRY):
        for region in division.at_level(level):
            members = division.descendants(region.code, Level.MUNICIPALITY)
            if region.level is Level.COUNTRY:
                members = division.at_level(Level.MUNICIPALITY)
            codes = {m.code for m in members} - {"KU" + c for c in division.aland_municipalities()}
            # Pertunmaa (588) is still separate in the file; it is part of Mäntyharju now.
            old_codes = [c for c in {a for (a, _, _) in means} if c.startswith("KU")]
            mapped = remap_codes(old_codes, 2023, 2026)
            sources = [old for old, new in mapped.items() if new in codes]
            expected = sum(means[(c, 2020, "TYOTTOMATLOPUSSA")] for c in sources)
            fact = _fact(facts, UNEMPLOYED, region.code, 2020)
            assert fact["numerator"] == pytest.approx(expected, rel=1e-12), region.code


def test_low_income_county_sums_equal_the_county_rows_statfin_publishes(
    facts: pd.DataFrame,
) -> None:
    division = load_division(2026)
    by_name = {r.name("fi"): r.code for r in division.at_level(Level.COUNTY)}
    checked = 0
    with gzip.open(LOW_INCOME, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Alue"].partition(" ")[2]
            if not row["Alue"].startswith("HVA") or name not in by_name:
                continue
            count = row["Pienituloisten henkilöiden lukumäärä (raja 60 % mediaanista)"]
            fact = _fact(facts, "low-income-rate-pct", by_name[name], int(row["Vuosi"]))
            assert fact["numerator"] == float(count)
            assert fact["denominator"] == float(row["Asuntoväestö, henkilöä"])
            checked += 1
    assert checked == 22 * 28  # 21 counties and Helsinki, 1995–2022


def test_every_low_income_area_name_maps() -> None:
    division = load_division(2026)
    municipalities = {r.short_code for r in division.at_level(Level.MUNICIPALITY)}
    with gzip.open(LOW_INCOME, "rt", encoding="utf-8", newline="") as handle:
        names = {row["Alue"] for row in csv.DictReader(handle)}
    codes = {name: area_code_127y(name) for name in names}
    municipal = {c for c in codes.values() if c is not None}
    assert len(municipal) == 309  # the 2023 division, Pertunmaa and Åland included
    mapped = remap_codes(sorted(municipal), 2023, 2026)
    aland = division.aland_municipalities()
    assert all(new in municipalities for old, new in mapped.items() if old not in aland)
    assert mapped["588"] == "507"  # Pertunmaa -> Mäntyharju
    non_municipal = sorted(n for n, c in codes.items() if c is None)
    assert all(n == "KOKO MAA" or n[:2] in ("HV", "MK", "SK") for n in non_municipal)
    with pytest.raises(DataError, match="Pieniluoto"):
        area_code_127y("Pieniluoto")


def test_derived_values_are_flagged_and_their_intervals_are_wider(facts: pd.DataFrame) -> None:
    rows = facts[(facts["indicator_id"] == UNEMPLOYED) & facts["ci_lower"].notna()]
    derived = rows[rows["derived"].astype(bool)]
    exact = rows[~rows["derived"].astype(bool)]
    assert set(derived["year"]) == {2023, 2024}
    assert not set(exact["year"]) & {2023, 2024}
    for frame, wider in ((derived, True), (exact, False)):
        lower, upper = interval_for_unit(
            "wilson",
            frame["numerator"].to_numpy(dtype=float),
            frame["denominator"].to_numpy(dtype=float),
            np.full(len(frame), 100.0),
        )
        if wider:
            # Half of the published rate's last digit (0.05 pp) on each side.
            assert np.allclose(frame["ci_lower"].to_numpy(), lower - 0.05, rtol=0, atol=1e-9)
            assert np.allclose(frame["ci_upper"].to_numpy(), upper + 0.05, rtol=0, atol=1e-9)
        else:
            assert np.allclose(frame["ci_lower"].to_numpy(), lower, rtol=0, atol=1e-9)
            assert np.allclose(frame["ci_upper"].to_numpy(), upper, rtol=0, atol=1e-9)
    # The county of a derived year is itself derived, the sum of derived municipalities.
    assert _fact(facts, UNEMPLOYED, "HVA13", 2023)["derived"]
    later = _fact(facts, UNEMPLOYED, "KU297", 2024)
    assert later["derived"] and "työvoimasta 2023" in later["note"]
    assert _fact(facts, UNEMPLOYED, "HVA13", 2024)["derived"]


def _hand_rates_2024() -> dict[str, float]:
    """Municipality -> the mean of its 12 published 2024 rates, by plain csv + statistics."""
    months: dict[str, list[float]] = defaultdict(list)
    with gzip.open(RATES, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # '...' is a month not published: such a municipality has no complete year.
            published = row["value_raw"] not in ("", "...")
            if row["alue_code"].startswith("KU") and row["month"].startswith("2024") and published:
                months[row["alue_code"]].append(float(row["value_raw"]))
    return {code: statistics.fmean(v) for code, v in months.items() if len(v) == 12}


def _hand_labour_2023() -> dict[str, float]:
    """Municipality -> TEM's 2023 labour force (one figure repeated each month of 2023)."""
    months: dict[str, set[float]] = defaultdict(set)
    with gzip.open(COUNTS, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["tiedot"] == "TYOVOIMATK" and row["month"].startswith("2023"):
                months[row["alue_code"]].add(float(row["value"]))
    return {code: next(iter(v)) for code, v in months.items() if len(v) == 1}


def test_2024_areas_are_2023_labour_force_weighted_means_of_municipal_rates(
    facts: pd.DataFrame,
) -> None:
    rates = _hand_rates_2024()
    labour = _hand_labour_2023()
    division = load_division(None)
    county = "HVA13"  # Pohjois-Savo; no merger has touched its municipalities since 2023
    members = [r.code for r in division.children(county)]
    assert members and all(code in rates and code in labour for code in members)
    expected = sum(rates[c] * labour[c] for c in members) / sum(labour[c] for c in members)
    fact = _fact(facts, UNEMPLOYED, county, 2024)
    assert fact["derived"]
    assert fact["value"] == pytest.approx(expected, rel=1e-12)
    kuopio = _fact(facts, UNEMPLOYED, "KU297", 2024)
    assert kuopio["value"] == pytest.approx(rates["KU297"], rel=1e-12)
    assert kuopio["denominator"] == labour["KU297"]
    # Pertunmaa merged into Mäntyharju on 1.1.2025: the 2024 rate is published for the merged
    # area, and its weight is the two municipalities' 2023 labour force together.
    merged = _fact(facts, UNEMPLOYED, "KU507", 2024)
    assert merged["value"] == pytest.approx(rates["KU507"], rel=1e-12)
    assert merged["denominator"] == labour["KU507"] + labour["KU588"]


def test_historical_numerators_derived_from_population_are_flagged(facts: pd.DataFrame) -> None:
    rows = facts[facts["indicator_id"] == "social-assistance-recipients-pct"]
    assert rows["derived"].astype(bool).all()


def test_the_2019_values_match_sotkanet(facts: pd.DataFrame) -> None:
    published: dict[tuple[str, str], float] = {}
    with gzip.open(SOTKANET, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            published[(row["indicator"], row["region.code"].zfill(3))] = float(row["primary.value"])
    helsinki = _fact(facts, UNEMPLOYED, "KU091", 2019)
    assert abs(helsinki["value"] - published[("181", "091")]) <= 0.15
    low = _fact(facts, "low-income-rate-pct", "KU091", 2019)
    assert round(low["value"], 1) == published[("3099", "091")]
    euros = _fact(facts, "social-assistance-eur-per-inhabitant", "KU091", 2019)
    assert euros["value"] == published[("453", "091")] and euros["derived"]


def test_homelessness_national_values_to_2025(facts: pd.DataFrame) -> None:
    with HOMELESS.open(encoding="utf-8", newline="") as handle:
        reported = {
            int(r["year"]): float(r["value"])
            for r in csv.DictReader(handle)
            if r["area"] == "Koko maa" and r["measure"] == "yksinelävät asunnottomat"
        }
    rows = facts[
        (facts["indicator_id"] == "homeless-single-persons") & (facts["level"] == "country")
    ]
    assert max(rows["year"]) == 2025
    assert dict(zip(rows["year"], rows["value"], strict=True)) == reported
    assert all("ARA/Varke" in note and "http" in note for note in rows["note"])


def test_the_latest_month_is_its_own_dated_figure(facts: pd.DataFrame) -> None:
    rows = facts[facts["indicator_id"] == "unemployed-pct-latest-month"]
    assert set(rows["year"]) == {2025}
    assert set(rows["level"]) == {"municipality"}
    assert all("2025-01" in note for note in rows["note"])
    assert _fact(facts, "unemployed-pct-latest-month", "KU091", 2025)["value"] == 12.7


def test_diak_values_state_what_the_source_says_of_their_year(facts: pd.DataFrame) -> None:
    rows = facts[facts["indicator_id"] == "mental-health-index"]
    assert set(rows["level"]) == {"hva", "municipality"}
    assert all("poimittu kesäkuun 1. 2024" in note for note in rows["note"])
    share = _fact(facts, "basic-social-assistance-recipients-pct", "KU091", 2024)
    assert round(share["value"], 2) == 7.68
