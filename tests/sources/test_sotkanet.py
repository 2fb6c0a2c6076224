"""Sotkanet: the recorded metadata, regions and rows made from shipped values, and the source."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from raketieto.catalogue import DEFINITIONS, Indicator
from raketieto.errors import DataError
from raketieto.sources.cache import ResponseCache
from raketieto.sources.http import HttpClient, SourceError
from raketieto.sources.sotkanet import (
    RegionMap,
    SotkanetRegion,
    SotkanetRow,
    SotkanetSource,
    definition_fields,
    parse_data_rows,
    parse_indicator_metadata,
    parse_regions,
    plain_text,
    rows_to_facts,
)
from tests.sources.conftest import load
from tests.sources.fakeserver import FakeServer, Reply

NOW = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
METADATA_186 = "api-samples/sotkanet/rest_1.1_indicators_186.json"


@pytest.fixture(scope="module")
def regions() -> RegionMap:
    return RegionMap(parse_regions(load("sotkanet/regions.json")))


def _indicator(catalogue: Any, indicator_id: str) -> Indicator:
    found: Indicator = catalogue.indicator(indicator_id)
    return found


# --- metadata -----------------------------------------------------------------------------------


def test_metadata_186_in_three_languages() -> None:
    meta = parse_indicator_metadata(load(METADATA_186))
    assert meta.id == 186
    assert meta.title == {
        "fi": "Kuolleisuus / 100 000 asukasta",
        "sv": "Dödlighet / 100 000 invånare",
        "en": "Mortality per 100 000 inhabitants",
    }
    assert meta.data_updated == dt.date(2025, 4, 29)
    assert meta.primary_value_type == "PER100000"
    assert meta.primary_value_title["en"] == "Per 100 000 inhabitants"
    assert meta.source_organisation == {
        "fi": "Tilastokeskus",
        "sv": "Statistikcentralen",
        "en": "Statistics Finland",
    }
    assert meta.years == (1990, 2024)
    assert set(meta.sexes) == {"male", "female", "total"}
    assert "Kunta" in meta.region_categories
    assert meta.description["sv"].startswith("Indikatorn visar antalet")
    assert meta.limits["fi"].startswith("Kuolemansyytilaston lisäksi")
    assert meta.interpretation == {"fi": "", "sv": "", "en": ""}
    assert meta.decimals == 1


def test_metadata_with_a_renamed_field_is_refused() -> None:
    raw = load(METADATA_186)
    raw["name"] = raw.pop("title")
    with pytest.raises(SourceError, match="'title'"):
        parse_indicator_metadata(raw, url="https://sotkanet.fi/rest/1.1/indicators/186")


def test_plain_text_keeps_paragraphs_and_drops_tags() -> None:
    text = plain_text("Yksi.<br><br><br />Kaksi &amp; kolme.<p id=suhteutus>Neljä.</p> ")
    assert text == "Yksi.\n\nKaksi & kolme.\n\nNeljä."


def test_definition_fields_fill_a_copy_of_the_yaml() -> None:
    path = DEFINITIONS / "indicators" / "mortality-per-100000.yaml"
    before = path.read_text(encoding="utf-8")
    data = yaml.safe_load(before)
    updated = definition_fields(data, parse_indicator_metadata(load(METADATA_186)))
    assert updated["definition"]["fi"].startswith("Indikaattori ilmaisee kuolleiden lukumäärän")
    assert "<" not in updated["definition"]["fi"]
    assert updated["definition"]["en"].startswith("The indicator gives the number of deaths")
    assert updated["caveats"]["sv"].startswith("Vid sidan av dödsorsaksstatistiken")
    assert updated["source"]["organisation"]["en"] == "Statistics Finland"
    assert updated["source"]["verified"] is True
    assert "2025-04-29" in updated["source"]["verified_by"]
    # The result still validates as a catalogue indicator, and nothing was written.
    assert Indicator.model_validate(updated).definition.sv.startswith("Indikatorn visar")
    assert path.read_text(encoding="utf-8") == before
    assert data["definition"]["fi"] != updated["definition"]["fi"]


def test_definition_fields_refuse_another_indicators_metadata() -> None:
    data = yaml.safe_load((DEFINITIONS / "indicators" / "population.yaml").read_text("utf-8"))
    with pytest.raises(DataError, match="127"):
        definition_fields(data, parse_indicator_metadata(load(METADATA_186)))


# --- regions --------------------------------------------------------------------------------------


def test_regions_fixture_maps_every_mainland_municipality(regions: RegionMap) -> None:
    municipalities = {c for c in regions.codes.values() if c.startswith("KU")}
    assert len(municipalities) == 292
    assert regions.codes[2] == "KU005"  # Alajärvi, Sotkanet id 2
    assert "KU478" not in regions.codes.values()  # Maarianhamina: Åland is left out


def test_new_and_old_county_ids_map_to_the_same_county(regions: RegionMap) -> None:
    assert regions.codes[974] == "HVA13"  # Pohjois-Savo, new id
    assert regions.codes[894] == "HVA13"  # the same, old id
    assert regions.codes[960] == "HVA90" and regions.codes[880] == "HVA90"
    assert 956 in regions.ignored  # Åland's county
    assert 894 in regions.legacy_ids and 974 not in regions.legacy_ids
    counties = {c for c in regions.codes.values() if c.startswith("HVA")}
    assert counties == {f"HVA{n:02d}" for n in range(1, 22)} | {"HVA90"}


def test_other_categories_are_known_but_not_used(regions: RegionMap) -> None:
    assert 488 in regions.ignored  # maakunta Uusimaa
    assert 488 not in regions.codes


def test_codes_with_or_without_leading_zeros_and_country_and_area() -> None:
    def region(id_: int, code: str, category: str) -> SotkanetRegion:
        return SotkanetRegion(id_, {"fi": "", "sv": "", "en": ""}, code, category, None)

    mapped = RegionMap(
        [
            region(1, "5", "KUNTA"),
            region(2, "SSS", "MAA"),
            region(3, "1", "YTA"),
            region(4, "04", "HYVINVOINTIALUE"),
            region(5, "6", "YTA"),
        ],
        outside=frozenset({"YTA6"}),
    )
    assert mapped.codes == {1: "KU005", 2: "SSS", 3: "YTA1", 4: "HVA04"}
    assert mapped.ignored == {5}


def test_a_region_without_its_code_field_is_refused() -> None:
    raw = load("sotkanet/regions.json")
    raw[3]["koodi"] = raw[3].pop("code")
    with pytest.raises(SourceError, match="rivi 4 puuttuu kenttä 'code'"):
        parse_regions(raw)


# --- rows --------------------------------------------------------------------------------------


def test_rows_fixture_parses_into_facts(catalogue: Any, regions: RegionMap) -> None:
    rows = parse_data_rows(load("sotkanet/json_493_2010_2011.json"))
    item = _indicator(catalogue, "social-assistance-recipients-pct")
    facts, problems = rows_to_facts(
        rows, indicator=item, regions=regions, source_version="v", retrieved_at=NOW
    )
    assert problems == []
    alajarvi = [f for f in facts if f["region_code"] == "KU005" and f["year"] == 2010]
    assert alajarvi[0]["value"] == 8.6
    assert alajarvi[0]["numerator"] is None  # no absValue: left for the refresh to derive
    assert {f["region_code"][:2] for f in facts} == {"KU"}
    assert all(f["source"] == "sotkanet" and f["retrieved_at"] == NOW for f in facts)


def _row(
    region: int, value: float | None, abs_value: float | None = None, **kw: Any
) -> SotkanetRow:
    fields = {"indicator": 186, "region": region, "year": 2023, "gender": "total"} | kw
    return SotkanetRow(value=value, abs_value=abs_value, **fields)


def test_abs_value_is_the_numerator_and_missing_values_are_suppressed(
    catalogue: Any, regions: RegionMap
) -> None:
    item = _indicator(catalogue, "mortality-per-100000")
    facts, problems = rows_to_facts(
        [_row(2, 1201.3, 109.0), _row(4, None)],
        indicator=item,
        regions=regions,
        source_version=None,
        retrieved_at=NOW,
    )
    assert problems == []
    by_code = {f["region_code"]: f for f in facts}
    assert by_code["KU005"]["numerator"] == 109.0
    assert by_code["KU005"]["value"] == 1201.3
    assert by_code["KU009"]["suppressed"] is True
    assert by_code["KU009"]["numerator"] is None


def test_a_count_indicator_takes_its_value_as_the_numerator(
    catalogue: Any, regions: RegionMap
) -> None:
    item = _indicator(catalogue, "population").model_copy(
        update={
            "source": _indicator(catalogue, "population").source.model_copy(
                update={"sotkanet_id": 186}
            )
        }
    )
    facts, _ = rows_to_facts(
        [_row(2, 9078.0)], indicator=item, regions=regions, source_version=None, retrieved_at=NOW
    )
    assert facts[0]["numerator"] == 9078.0


def test_the_new_county_id_wins_over_the_old_one(catalogue: Any, regions: RegionMap) -> None:
    item = _indicator(catalogue, "mortality-per-100000")
    for order in ([_row(894, 1.0), _row(974, 2.0)], [_row(974, 2.0), _row(894, 1.0)]):
        facts, problems = rows_to_facts(
            order, indicator=item, regions=regions, source_version=None, retrieved_at=NOW
        )
        assert problems == []
        assert [(f["region_code"], f["value"]) for f in facts] == [("HVA13", 2.0)]


def test_unknown_region_ids_and_sexes_become_problems(catalogue: Any, regions: RegionMap) -> None:
    item = _indicator(catalogue, "mortality-per-100000")
    facts, problems = rows_to_facts(
        [_row(2, 1.0), _row(99999, 1.0), _row(99999, 1.0, year=2022), _row(4, 1.0, gender="muu")],
        indicator=item,
        regions=regions,
        source_version=None,
        retrieved_at=NOW,
    )
    assert [f["region_code"] for f in facts] == ["KU005"]
    unknown = [p for p in problems if p.region == "sotkanet:99999"]
    assert len(unknown) == 1
    assert "99999" in unknown[0].reason and "2022, 2023" in unknown[0].reason
    assert any("muu" in p.reason and p.region == "KU009" for p in problems)


def test_a_row_with_a_renamed_field_is_refused() -> None:
    rows = copy.deepcopy(load("sotkanet/json_493_2010_2011.json"))
    for row in rows:
        row["region_id"] = row.pop("region")
    with pytest.raises(SourceError, match="puuttuu kenttä 'region'"):
        parse_data_rows(rows, url="https://sotkanet.fi/rest/1.1/json?indicator=493")


def test_a_row_with_text_for_a_number_is_refused() -> None:
    with pytest.raises(SourceError, match="rivillä 1"):
        parse_data_rows([{"indicator": 1, "region": 2, "year": "x", "gender": "total", "value": 1}])


# --- the source against the loopback server -----------------------------------------------------


def test_offers_the_sotkanet_indicators(catalogue: Any) -> None:
    offered = SotkanetSource().offers(catalogue)
    assert "social-assistance-recipients-pct" in offered
    assert "mortality-per-100000" in offered
    assert "population" not in offered  # from StatFin 11s5 by default
    assert "housing-support-need-per-1000" not in offered  # client data


def test_fetch_from_the_loopback_server(
    catalogue: Any,
    sotkanet: SotkanetSource,
    server: FakeServer,
    make_client: Callable[..., HttpClient],
    tmp_path: Path,
) -> None:
    item = _indicator(catalogue, "social-assistance-recipients-pct")
    events: list[Any] = []
    with make_client() as client:
        result = sotkanet.fetch(
            [item],
            [2010, 2011],
            client=client,
            cache=ResponseCache(tmp_path),
            progress=events.append,
        )
    assert result.ok, result.problems
    facts = result.facts
    assert len(facts) == len(load("sotkanet/json_493_2010_2011.json")) - _aland_rows()
    assert set(facts["year"]) == {2010, 2011}
    assert set(facts["source_version"]) == {"Sotkanet 493, päivitetty 2013-09-08"}
    asked = server.requests_to("/rest/1.1/json")[0].query
    assert (
        ("years", "2010") in asked and ("years", "2011") in asked and ("genders", "total") in asked
    )
    assert [e.done for e in events] == [0, 1]


def _aland_rows() -> int:
    regions = {
        r["id"]: r["code"] for r in load("sotkanet/regions.json") if r["category"] == "KUNTA"
    }
    aland = {"035", "043", "060", "062", "065", "076", "170", "295", "318", "417", "438", "478",
             "736", "766", "771", "941"}  # fmt: skip
    return sum(1 for r in load("sotkanet/json_493_2010_2011.json") if regions[r["region"]] in aland)


def test_a_year_without_rows_is_a_problem(
    catalogue: Any, sotkanet: SotkanetSource, make_client: Callable[..., HttpClient]
) -> None:
    item = _indicator(catalogue, "social-assistance-recipients-pct")
    with make_client() as client:
        result = sotkanet.fetch([item], [2011, 2012], client=client, cache=None)
    assert [(p.indicator_id, p.year) for p in result.problems] == [
        ("social-assistance-recipients-pct", 2012)
    ]
    assert set(result.facts["year"]) == {2011}


def test_without_regions_every_indicator_reports_why(
    catalogue: Any,
    sotkanet: SotkanetSource,
    server: FakeServer,
    make_client: Callable[..., HttpClient],
) -> None:
    server.route("/rest/1.1/regions", Reply(body=b"<html>Huoltokatko</html>"))
    items = [
        _indicator(catalogue, i)
        for i in ("social-assistance-recipients-pct", "mortality-per-100000")
    ]
    with make_client() as client:
        result = sotkanet.fetch(items, [2010], client=client, cache=None)
    assert result.facts.empty
    assert [p.indicator_id for p in result.problems] == [i.id for i in items]
    assert all("HTML-sivun" in p.reason for p in result.problems)


def test_an_unknown_indicator_id_reports_404(
    catalogue: Any, sotkanet: SotkanetSource, make_client: Callable[..., HttpClient]
) -> None:
    item = _indicator(catalogue, "low-income-rate-pct")  # no fixture for 3099
    with make_client() as client:
        result = sotkanet.fetch([item], [2010], client=client, cache=None)
    assert len(result.problems) == 1
    assert "HTTP 404" in result.problems[0].reason
    assert "indicators/3099" in result.problems[0].reason
