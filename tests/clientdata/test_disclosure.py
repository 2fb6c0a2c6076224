"""Disclosure control: small counts hidden, and no hidden count recoverable from what is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raketieto.catalogue import load_catalogue
from raketieto.clientdata import disclosure
from raketieto.clientdata.facts import SYNTHETIC_SOURCE, client_facts
from raketieto.clientdata.indicators import COUNT_COLUMNS
from raketieto.cube.schema import FACT_COLUMNS
from raketieto.regions import Level, load_division
from tests.clientdata.adversary import exactly_known

DIVISION = load_division()
CATALOGUE = load_catalogue()
COUNTIES = [r.code for r in DIVISION.at_level(Level.COUNTY)]
BANDS = ("0-14", "15-64", "65+")


def municipalities_of(county: str) -> list[str]:
    return [r.short_code for r in DIVISION.descendants(county, Level.MUNICIPALITY)]


@st.composite
def count_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, str]:
    """Random finest-cell counts for one rule in one or two counties (zero elsewhere)."""
    rule = draw(st.sampled_from(["support_need:housing", "assessment_within_3_months"]))
    counties = draw(st.lists(st.sampled_from(COUNTIES), min_size=1, max_size=2, unique=True))
    places = [m for c in counties for m in municipalities_of(c)]
    chosen = draw(st.lists(st.sampled_from(places), min_size=1, max_size=8, unique=True))
    rows = []
    for municipality in chosen:
        for sex in ("male", "female"):
            for band in BANDS:
                numerator = draw(st.integers(0, 12))
                extra = draw(st.integers(0, 6))
                rows.append((rule, municipality, 2024, sex, band, numerator, numerator + extra))
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    if rule == "support_need:housing":
        frame["denominator"] = float("nan")
    return frame.astype({"numerator": float, "denominator": float}), rule


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(count_tables())
def test_no_suppressed_count_can_be_determined(case: tuple[pd.DataFrame, str]) -> None:
    counts, rule = case
    facts = client_facts(counts, division=DIVISION, catalogue=CATALOGUE, synthetic=True)
    count_den = rule == "assessment_within_3_months"
    shown = facts[~facts["suppressed"]]
    for column in ["numerator", "denominator"] if count_den else ["numerator"]:
        assert not shown[column].between(1, 4).any()
    assert exactly_known(facts, DIVISION, count_denominator=count_den) == []


def test_small_counts_are_published_as_suppressed_with_reason() -> None:
    rows = [
        ("support_need:housing", "091", 2024, "male", "15-64", 3.0, float("nan")),
        ("support_need:housing", "091", 2024, "female", "15-64", 40.0, float("nan")),
        ("support_need:housing", "049", 2024, "female", "65+", 7.0, float("nan")),
    ]
    facts = client_facts(
        pd.DataFrame(rows, columns=COUNT_COLUMNS),
        division=DIVISION,
        catalogue=CATALOGUE,
        synthetic=True,
    )
    assert list(facts.columns) == list(FACT_COLUMNS)
    cell = facts[(facts["region_code"] == "KU091") & (facts["sex"] == "male")].iloc[0]
    assert bool(cell["suppressed"])
    assert cell["suppression_reason"] == disclosure.REASON
    assert np.isnan(cell["numerator"]) and np.isnan(cell["value"])
    # Not hidden as zero, not missing: every region × margin cell is there.
    assert len(facts) == len(DIVISION.regions) * len(disclosure.COMBOS)
    hidden = facts[facts["suppressed"]]
    assert hidden["numerator"].isna().all()
    assert hidden["suppression_reason"].notna().all()
    # Helsinki's total (43) and its female margin (40) cannot both be shown: their difference
    # would give away the hidden 3.
    helsinki = facts[facts["region_code"] == "KU091"].set_index(["sex", "age_group"])
    shown_total = not bool(helsinki.loc[("total", "total"), "suppressed"])
    shown_female = not bool(helsinki.loc[("female", "total"), "suppressed"])
    assert not (shown_total and shown_female)
    assert facts["synthetic"].all()
    assert (facts["source"] == SYNTHETIC_SOURCE).all()
    country = facts[(facts["region_code"] == "SSS") & (facts["sex"] == "total")]
    total = country[country["age_group"] == "total"].iloc[0]
    assert total["numerator"] == 50.0 and not bool(total["suppressed"])


def test_shares_hide_small_denominators_and_small_gaps() -> None:
    numerator = np.array([2.0, 10.0, 10.0, 0.0, 20.0])
    denominator = np.array([30.0, 12.0, 30.0, 3.0, 30.0])
    assert disclosure.primary_cells(numerator, denominator).tolist() == [
        True,  # numerator 2
        True,  # gap 2
        False,
        True,  # denominator 3
        False,
    ]


def test_suppress_refuses_a_table_whose_sums_do_not_add_up() -> None:
    layout = disclosure.layout(DIVISION)
    broken = np.zeros(layout.size)
    broken[layout.cell(0, "total", "total")] = 5.0
    with pytest.raises(Exception, match="summat"):
        disclosure.suppress(broken, None, layout)


def test_every_suppressed_cell_leaves_with_counts_removed() -> None:
    rows = [
        ("assessment_within_3_months", "091", 2024, "male", "15-64", 3.0, 9.0),
        ("assessment_within_3_months", "092", 2024, "male", "15-64", 30.0, 31.0),
        ("assessment_within_3_months", "049", 2024, "female", "65+", 7.0, 12.0),
    ]
    facts = client_facts(
        pd.DataFrame(rows, columns=COUNT_COLUMNS),
        division=DIVISION,
        catalogue=CATALOGUE,
        synthetic=False,
    )
    hidden = facts[facts["suppressed"]]
    assert not hidden.empty
    assert hidden["numerator"].isna().all() and hidden["denominator"].isna().all()
    assert not facts["synthetic"].any()
    assert exactly_known(facts, DIVISION, count_denominator=True) == []


def test_the_adversary_recovers_cells_that_only_primary_suppression_hides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def primary_only(
        numerator: np.ndarray, denominator: np.ndarray | None, layout: disclosure.Layout
    ) -> disclosure.Suppression:
        small = disclosure.primary_cells(numerator, denominator)
        return disclosure.Suppression(suppressed=small.copy(), primary=small)

    monkeypatch.setattr(disclosure, "suppress", primary_only)
    rows = [
        ("support_need:housing", "091", 2024, "male", "15-64", 3.0, float("nan")),
        ("support_need:housing", "091", 2024, "female", "15-64", 40.0, float("nan")),
    ]
    facts = client_facts(
        pd.DataFrame(rows, columns=COUNT_COLUMNS),
        division=DIVISION,
        catalogue=CATALOGUE,
        synthetic=True,
    )
    assert ("KU091", "male", "total", "numerator") in exactly_known(
        facts, DIVISION, count_denominator=False
    )
