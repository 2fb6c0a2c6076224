"""Calls to the real StatFin PxWeb API; skipped unless RAKETIETO_LIVE=1 (see tests/conftest.py)."""

from __future__ import annotations

import pytest

from raketieto.sources.http import HttpClient
from raketieto.sources.statfin import INDICATOR_PICKS, TABLES, StatFinSource, plan_query

pytestmark = pytest.mark.live


def test_real_11s5_population_of_2024() -> None:
    source = StatFinSource()
    with HttpClient(min_interval=StatFinSource.min_interval) as client:
        rows, missing, _, _ = source.query(TABLES["11s5"], [2024], client=client, cache=None)
    assert missing == []
    country = rows[rows["region_code"] == "SSS"]["value"]
    assert list(country) == [5_635_971]
    assert len(rows[rows["region_code"].str.startswith("KU")]) == 292


def test_each_pick_finds_exactly_one_class_of_13u5() -> None:
    source = StatFinSource()
    with HttpClient(min_interval=StatFinSource.min_interval) as client:
        metadata = source.metadata(TABLES["13u5"], client, cache=None)
    for picks in INDICATOR_PICKS.values():
        plan_query(metadata, TABLES["13u5"], [2023], picks=picks)


def test_11re_has_sex_and_single_year_ages() -> None:
    source = StatFinSource()
    with HttpClient(min_interval=StatFinSource.min_interval) as client:
        rows, _, _, _ = source.query(
            TABLES["11re"],
            [2023],
            client=client,
            cache=None,
            sexes=("total", "male", "female"),
            age_bands=("total", "0-14", "15-64", "65+"),
        )
    country = rows[(rows["region_code"] == "SSS")].set_index(["sex", "age_group"])["value"]
    assert country[("male", "total")] + country[("female", "total")] == country[("total", "total")]
    bands = country[("total", "0-14")] + country[("total", "15-64")] + country[("total", "65+")]
    assert bands == country[("total", "total")]
