"""StatFin: the PxWeb query builder, table metadata, and population through the loopback server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from raketieto.errors import NotFoundError
from raketieto.sources.http import HttpClient, SourceError
from raketieto.sources.statfin import (
    TABLES,
    Pick,
    StatFinSource,
    ages_in_band,
    build_query,
    parse_table_metadata,
    plan_query,
)
from tests.sources.conftest import load
from tests.sources.fakeserver import FakeServer

ALAND = {"KU035", "KU043", "KU060", "KU062", "KU065", "KU076", "KU170", "KU295", "KU318",
         "KU417", "KU438", "KU478", "KU736", "KU766", "KU771", "KU941"}  # fmt: skip


def test_query_body_has_the_documented_shape() -> None:
    body = build_query({"Alue": ["SSS", "KU005"], "Vuosi": ["2024"]})
    assert body == {
        "query": [
            {"code": "Alue", "selection": {"filter": "item", "values": ["SSS", "KU005"]}},
            {"code": "Vuosi", "selection": {"filter": "item", "values": ["2024"]}},
        ],
        "response": {"format": "json-stat2"},
    }


def test_plan_for_11s5_takes_canonical_areas_and_december() -> None:
    metadata = parse_table_metadata(load("statfin/pxweb_11s5_metadata.json"))
    plan = plan_query(metadata, TABLES["11s5"], [2010, 2024, 2030])
    assert plan.selections["kuukausi"] == ["2010M12", "2024M12"]
    assert plan.years == {"2010M12": 2010, "2024M12": 2024}
    assert plan.missing_years == [2030]
    assert plan.selections["alue"][0] == "SSS"
    assert len(plan.selections["alue"]) == 309
    assert plan.selections["tiedot"] == ["vaesto_kuukausi"]
    assert plan.sex is None and plan.age is None


def test_every_year_when_none_are_given() -> None:
    metadata = parse_table_metadata(load("statfin/pxweb_11s5_metadata.json"))
    plan = plan_query(metadata, TABLES["11s5"], None)
    assert min(plan.years.values()) == 1990 and max(plan.years.values()) == 2024
    assert len(plan.years) == 35


def test_a_pick_that_matches_no_category_says_which_there_are() -> None:
    metadata = parse_table_metadata(load("statfin/pxweb_13u5_metadata.json"))
    pick = Pick("kuolemansyy|cause of death", "itsemurh|suicide")
    with pytest.raises(SourceError, match="0 luokkaa") as caught:
        plan_query(metadata, TABLES["13u5"], [2024], picks=[pick])
    assert "SSS 00-54 Total" in caught.value.message


def test_a_pick_that_matches_one_category_selects_it() -> None:
    metadata = parse_table_metadata(load("statfin/pxweb_13u5_metadata.json"))
    plan = plan_query(metadata, TABLES["13u5"], [2024], picks=[Pick("kuolemansyy", "total")])
    assert plan.selections["tilaston-peruskuolemansyy-aikasarjaluokitus"] == ["SSS"]
    assert plan.selections["hyvinvointialue"][-1] == "HVA91"


def test_metadata_without_variables_is_refused() -> None:
    with pytest.raises(SourceError, match="'variables'"):
        parse_table_metadata({"title": "x", "muuttujat": []}, url="http://h/t.px")


@pytest.mark.parametrize(
    ("band", "expected"),
    [("total", ["SSS"]), ("0-2", ["0", "1", "2"]), ("98+", ["98", "99", "100-"])],
)
def test_age_bands_sum_single_years(band: str, expected: list[str]) -> None:
    offered = ["SSS", *[str(a) for a in range(100)], "100-"]
    assert ages_in_band(band, offered) == expected


def test_unknown_table_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="11s6"):
        StatFinSource().table("11s6")


def test_population_2024_from_the_recorded_answer(
    statfin: StatFinSource, server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    with make_client() as client:
        population = statfin.population([2024], client=client, cache=None)
    sample = load("api-samples/statfin/jsonstat2_11s5_population_by_municipality_2024M12.json")
    aland = sum(
        v
        for c, v in zip(
            sample["dimension"]["alue"]["category"]["index"], sample["value"], strict=True
        )
        if c in ALAND
    )
    assert len(population) == 292
    assert population["population"].sum() == 5_635_971 - aland
    assert not set(population["region_code"]) & ALAND
    posted = server.requests_to("/statfin/vaerak/11s5.px")[-1].body
    assert posted["response"] == {"format": "json-stat2"}
    assert {q["code"] for q in posted["query"]} == {"alue", "kuukausi", "tiedot"}


def test_population_indicator_facts(
    catalogue: Any, statfin: StatFinSource, make_client: Callable[..., HttpClient]
) -> None:
    with make_client() as client:
        result = statfin.fetch(
            [catalogue.indicator("population")], [2010, 2011], client=client, cache=None
        )
    assert result.ok, result.problems
    facts = result.facts
    country = facts[(facts["region_code"] == "SSS")].set_index("year")["numerator"]
    assert country[2010] == 5_375_276  # the official 31.12.2010 population
    assert set(facts["sex"]) == {"total"}  # 11s5 has no sex; none is invented
    assert (facts["numerator"] == facts["value"]).all()
    assert set(facts["source_version"]) == {"StatFin 11s5, päivitetty 2025-05-28T08:00:00"}


def test_statfin_offers_population_and_its_own_tables(catalogue: Any) -> None:
    offered = StatFinSource().offers(catalogue)
    assert "population" in offered
    assert "suicides-per-100000" in offered
    assert "mortality-per-100000" not in offered


def test_an_indicator_whose_class_is_missing_becomes_a_problem(
    catalogue: Any, statfin: StatFinSource, make_client: Callable[..., HttpClient]
) -> None:
    with make_client() as client:
        result = statfin.fetch(
            [catalogue.indicator("suicides-per-100000")], [2024], client=client, cache=None
        )
    assert result.facts.empty
    assert result.problems[0].indicator_id == "suicides-per-100000"
    assert "itsemurh" in result.problems[0].reason


def test_deaths_by_county_come_out_on_canonical_codes(
    statfin: StatFinSource, make_client: Callable[..., HttpClient]
) -> None:
    with make_client() as client:
        rows, missing, updated, _ = statfin.query(TABLES["13u5"], [2024], client=client, cache=None)
    sample = load("api-samples/statfin/jsonstat2_13u5_deaths_by_wellbeing_county_2024.json")
    assert missing == []
    assert updated == "2025-10-29T08:00:00"
    assert list(rows["region_code"]) == [f"HVA{n:02d}" for n in range(1, 22)] + ["HVA90"]
    assert rows["value"].sum() == sum(sample["value"][:22])


def test_a_prefixed_measure_code_is_still_found() -> None:
    # Since June 2026 StatFin may prefix the codes of the measure variable ("tiedot").
    raw = load("statfin/pxweb_11s5_metadata.json")
    raw["variables"][2]["values"] = ["x_vaesto_kuukausi"]
    plan = plan_query(parse_table_metadata(raw), TABLES["11s5"], [2010])
    assert plan.selections["tiedot"] == ["x_vaesto_kuukausi"]


def test_a_missing_measure_code_names_the_options() -> None:
    raw = load("statfin/pxweb_11s5_metadata.json")
    raw["variables"][2]["values"] = ["muutos", "vaesto_vuosi"]
    with pytest.raises(NotFoundError, match="vaesto_kuukausi") as caught:
        plan_query(parse_table_metadata(raw), TABLES["11s5"], [2010])
    assert "vaesto_vuosi" in caught.value.full_message()
