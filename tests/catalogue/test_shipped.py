"""The shipped catalogue: it validates, has the generic shape and is truthful about sources."""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from raketieto.catalogue import Catalogue, Unit, load_catalogue, validate_catalogue
from raketieto.errors import NotFoundError
from raketieto.regions import Level
from raketieto.text import fold

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api-samples"
PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]
ALL_LEVELS = [Level.COUNTRY, Level.COLLABORATIVE_AREA, Level.COUNTY, Level.MUNICIPALITY]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _words(text: str) -> str:
    """A title reduced to letters and digits, so '0 - 17' and '0–17', '1000' and '1 000' agree."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def test_shipped_catalogue_has_no_problems() -> None:
    assert validate_catalogue() == []


def test_four_phenomena_in_order(catalogue: Catalogue) -> None:
    assert list(catalogue.phenomena) == PHENOMENA


@pytest.mark.parametrize("phenomenon_id", PHENOMENA)
def test_every_phenomenon_has_every_generic_theme(catalogue: Catalogue, phenomenon_id: str) -> None:
    phenomenon = catalogue.phenomena[phenomenon_id]
    assert list(phenomenon.themes) == list(catalogue.themes)
    assert list(catalogue.indicators_for(phenomenon_id)) == list(catalogue.themes)


@pytest.mark.parametrize("phenomenon_id", PHENOMENA)
def test_at_least_six_real_indicators_per_phenomenon(
    catalogue: Catalogue, phenomenon_id: str
) -> None:
    grouped = catalogue.indicators_for(phenomenon_id)
    distinct = {i.id for members in grouped.values() for i in members}
    real = {i for i in distinct if not catalogue.indicators[i].synthetic_demo}
    assert len(real) >= 6
    # At least two client-data indicators per phenomenon (issue 4).
    client = [i for i in distinct if catalogue.indicators[i].source.kind == "client_data"]
    assert len(client) >= 2


@pytest.mark.parametrize("phenomenon_id", PHENOMENA)
def test_headline_indicators(catalogue: Catalogue, phenomenon_id: str) -> None:
    headline = catalogue.headline(phenomenon_id)
    assert 3 <= len(headline) <= 5
    assert all(phenomenon_id in i.phenomena() for i in headline)
    # The first headline indicator measures the phenomenon itself, not a background factor
    # (issue 11); whether the headline indicators have data is checked on the demo cube in
    # tests/catalogue/test_coverage.py.
    assert "extent-and-trend" in headline[0].themes_in(phenomenon_id)
    assert headline[0].source.kind != "client_data"


def _historical_list() -> list[dict[str, str]]:
    path = resources.files("raketieto") / "data" / "indicators"
    text = (path / "sotkanet_municipality_1990_2012_selected_indicators.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_historical_sotkanet_indicator_is_in_the_catalogue(catalogue: Catalogue) -> None:
    rows = _historical_list()
    assert len(rows) == 12
    for row in rows:
        indicator = catalogue.by_sotkanet_id(int(row["indicator_id"]))
        assert indicator is not None, row["title_fi"]
        assert indicator.source.verified
        assert _words(indicator.label.fi) == _words(row["title_fi"])


def test_sotkanet_186_matches_its_recorded_metadata(catalogue: Catalogue) -> None:
    metadata = json.loads(
        (FIXTURES / "sotkanet" / "rest_1.1_indicators_186.json").read_text("utf-8")
    )
    indicator = catalogue.by_sotkanet_id(186)
    assert indicator is not None
    for lang in ("fi", "sv", "en"):
        assert _words(indicator.label.get(lang)) == _words(metadata["title"][lang])
    assert metadata["primaryValueType"]["code"] == "PER100000"
    assert indicator.unit is Unit.PER_100000
    assert indicator.decimals == metadata["decimals"]
    assert indicator.population.sex_breakdown == ("sex" in metadata["classifications"])


@pytest.mark.parametrize(
    ("sotkanet_id", "unit", "aggregable", "derive"),
    [
        (127, Unit.COUNT, True, None),
        (493, Unit.PERCENT, True, "population"),
        (451, Unit.EUR_PER_INHABITANT, True, "population"),
        (2328, Unit.PERCENT, True, "population"),
        # 3099 and 181 have counts since issue 11 (StatFin 127y and 12r5), so they sum up.
        (3099, Unit.PERCENT, True, None),
        (3126, Unit.INDEX, False, None),
        (181, Unit.PERCENT, True, None),
        (3071, Unit.PERCENT, False, None),
        (4, Unit.PER_1000, False, None),
        (2358, Unit.PER_1000, False, None),
        (475, Unit.PER_1000, False, None),
        (3219, Unit.PERCENT, False, None),
    ],
)
def test_units_and_summability_of_the_demo_indicators(
    catalogue: Catalogue, sotkanet_id: int, unit: Unit, aggregable: bool, derive: str | None
) -> None:
    indicator = catalogue.by_sotkanet_id(sotkanet_id)
    assert indicator is not None
    assert (indicator.unit, indicator.aggregable, indicator.derive_numerator_from) == (
        unit,
        aggregable,
        derive,
    )


def test_population_indicator(catalogue: Catalogue) -> None:
    population = catalogue.indicator("population")
    assert population.source.kind == "population"
    assert population.source.sotkanet_id == 127
    assert population.levels == ALL_LEVELS


def test_rates_that_derive_their_numerator_are_shares_of_the_whole_population(
    catalogue: Catalogue,
) -> None:
    # Deriving a numerator from population is only right when the denominator is everyone.
    derived = [i for i in catalogue.indicators.values() if i.derive_numerator_from]
    assert derived
    for indicator in derived:
        assert indicator.population.age_band == "total"
        assert indicator.denominator is not None
        assert _words(indicator.denominator.fi) == _words("Väestö 31.12.")


CLIENT_DATA = {
    "housing-support-need-per-1000": ("support_need:housing", Unit.PER_1000),
    "financial-support-need-per-1000": ("support_need:financial", Unit.PER_1000),
    "preventive-social-assistance-recipients-per-1000": (
        "social_assistance:preventive",
        Unit.PER_1000,
    ),
    "mental-health-support-need-per-1000": ("support_need:mental_health", Unit.PER_1000),
    "substance-use-support-need-per-1000": ("support_need:substance_use", Unit.PER_1000),
    "substance-and-mental-health-support-need-per-1000": (
        "support_need:substance_use+mental_health",
        Unit.PER_1000,
    ),
    "assessments-completed-within-3-months-pct": ("assessment_within_3_months", Unit.PERCENT),
    "clients-returning-within-12-months-pct": ("returning_within_12_months", Unit.PERCENT),
}


@pytest.mark.parametrize(("indicator_id", "expected"), sorted(CLIENT_DATA.items()))
def test_client_data_indicators(
    catalogue: Catalogue, indicator_id: str, expected: tuple[str, Unit]
) -> None:
    rule, unit = expected
    indicator = catalogue.indicator(indicator_id)
    assert indicator.source.kind == "client_data"
    assert indicator.source.rule == rule
    assert catalogue.by_rule(rule) is indicator
    assert indicator.unit is unit
    assert indicator.aggregable
    assert indicator.levels == ALL_LEVELS


def test_client_data_indicators_are_the_only_ones_with_rules(catalogue: Catalogue) -> None:
    with_rules = {i.id for i in catalogue.indicators.values() if i.source.rule}
    assert with_rules == set(CLIENT_DATA)


def test_client_data_memberships(catalogue: Catalogue) -> None:
    assessments = catalogue.indicator("assessments-completed-within-3-months-pct")
    assert {(m.phenomenon, m.theme) for m in assessments.memberships} == {
        (p, "availability-and-timeliness") for p in PHENOMENA
    }
    assert sorted(catalogue.indicator("clients-returning-within-12-months-pct").phenomena()) == (
        PHENOMENA
    )
    both = catalogue.indicator("substance-and-mental-health-support-need-per-1000")
    assert sorted(both.phenomena()) == ["mielenterveys", "paihteet-ja-riippuvuudet"]


def test_every_indicator_names_licence_attribution_and_unverified_ids(
    catalogue: Catalogue,
) -> None:
    for indicator in catalogue.indicators.values():
        source = indicator.source
        assert source.licence.strip() and source.attribution.strip()
        if source.kind == "sotkanet":
            assert source.url is not None and source.url.endswith(f"/{source.sotkanet_id}")
        if not source.verified:
            # An unconfirmed id is shown as such and says where it came from.
            assert indicator.caveats is not None
        else:
            assert source.verified_by


def test_an_indicator_published_only_by_county_stays_at_county_level(
    catalogue: Catalogue,
) -> None:
    deaths = catalogue.indicator("alcohol-related-deaths-per-100000")
    assert deaths.source.statfin_table == "13u5"
    assert Level.MUNICIPALITY not in deaths.levels


def test_lookups(catalogue: Catalogue) -> None:
    assert catalogue.phenomenon("Päihteet ja riippuvuudet").id == "paihteet-ja-riippuvuudet"
    assert catalogue.phenomenon("paihteet ja riippuvuudet").id == "paihteet-ja-riippuvuudet"
    assert catalogue.phenomenon("Bostadslöshet").id == "asunnottomuus"
    assert catalogue.phenomenon("HOMELESSNESS").id == "asunnottomuus"
    assert catalogue.by_sotkanet_id(999_999_999) is None
    assert catalogue.by_rule("support_need:unknown") is None


def test_unknown_indicator_names_the_closest(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        catalogue.indicator("low-income-rate")
    assert "low-income-rate-pct" in caught.value.full_message()
    assert "'low-income-rate'" in caught.value.full_message()


def test_unknown_phenomenon_names_the_closest(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError) as caught:
        catalogue.phenomenon("mielenterveyss")
    assert "mielenterveys" in caught.value.full_message()


def test_indicators_for_puts_headline_first(catalogue: Catalogue) -> None:
    phenomenon = catalogue.phenomena["taloudellinen-tilanne"]
    grouped = catalogue.indicators_for(phenomenon.id)
    for members in grouped.values():
        flags = [i.id in phenomenon.headline_indicators for i in members]
        assert flags == sorted(flags, reverse=True)
