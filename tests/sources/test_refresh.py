"""Refresh end to end on a loopback server: a new cube only when all arrived and validated."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader
from raketieto.errors import DataError
from raketieto.pipeline import refresh as refresh_module
from raketieto.pipeline.refresh import RefreshReport, select_indicators
from raketieto.regions import Division
from raketieto.settings import Settings
from raketieto.sources.base import FetchProblem
from raketieto.sources.sotkanet import SotkanetSource
from raketieto.sources.statfin import StatFinSource
from tests.sources.conftest import (
    INDICATOR,
    POPULATION_PATH,
    SOTKANET,
    STATFIN,
    YEARS,
    load,
    run,
    statfin_population,
)
from tests.sources.fakeserver import FIXTURES, FakeServer, Reply, Seen

POPULATION_FIXTURE = "jsonstat2_11s5_population_2010M12_2011M12.json"

ROWS = "sotkanet/json_493_2010_2011.json"


@pytest.fixture
def previous(built_cube: Path, settings: Settings) -> Iterator[Settings]:
    """Settings whose data folder already holds a live cube."""
    settings.cube_path.parent.mkdir(parents=True)
    shutil.copyfile(built_cube, settings.cube_path)
    yield settings


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cube_facts(settings: Settings) -> pd.DataFrame:
    connection = duckdb.connect(str(settings.cube_path), read_only=True)
    try:
        return connection.execute("SELECT * FROM facts ORDER BY ALL").df()
    finally:
        connection.close()


def assert_previous_intact(settings: Settings, before: str, built_cube: Path) -> None:
    assert digest(settings.cube_path) == before
    assert len(cube_facts(settings)) == len(cube_facts_at(built_cube)) > 0
    # Served: the reader the web app and the CLI use still opens it and finds the old values.
    with CubeReader.open(settings) as reader:
        assert reader.years(INDICATOR) == YEARS
        served = reader.facts(indicator_ids=[INDICATOR], region_codes=["KU005"], years=[2010])
    assert served["value"].tolist() == [pytest.approx(8.6)]


def cube_facts_at(path: Path) -> pd.DataFrame:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return connection.execute("SELECT * FROM facts").df()
    finally:
        connection.close()


# --- success ---------------------------------------------------------------------------------


def test_a_refresh_builds_a_cube_with_derived_counts_and_provenance(
    settings: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    report = run(settings, server, catalogue, division)
    assert report.ok, report.lines()
    assert report.requested == [INDICATOR]
    assert report.by_source == {"sotkanet": [INDICATOR], "statfin": ["population"]}
    facts = cube_facts(settings)
    ours = facts[facts["indicator_id"] == INDICATOR]
    alajarvi = ours[(ours["region_code"] == "KU005") & (ours["year"] == 2010)].iloc[0]
    # 8.6 % of the 10,487 inhabitants of 31.12.2010: the numerator is derived, the rate kept.
    assert alajarvi["value"] == pytest.approx(8.6)
    assert alajarvi["denominator"] == 10_487
    assert alajarvi["numerator"] == pytest.approx(8.6 * 10_487 / 100)
    assert alajarvi["source"] == "sotkanet"
    assert "493" in alajarvi["source_version"]
    assert not pd.isna(alajarvi["retrieved_at"])
    assert set(ours["level"]) == {"municipality", "hva", "yta", "country"}
    county = ours[(ours["region_code"] == "HVA16") & (ours["year"] == 2010)].iloc[0]
    members = [r.code for r in division.children("HVA16")]
    below = ours[ours["region_code"].isin(members) & (ours["year"] == 2010)]
    assert county["numerator"] == pytest.approx(below["numerator"].sum())
    assert county["denominator"] == below["denominator"].sum()
    assert "Uusi kuutio" in report.lines()[-1]


def test_offline_rebuilds_from_the_cache_alone(
    settings: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    assert run(settings, server, catalogue, division).ok
    first = cube_facts(settings)
    for path in list(server.routes):
        server.route(path, Reply(500, b"should not be asked"))
    asked = len(server.seen)
    report = run(settings, server, catalogue, division, offline=True)
    assert report.ok, report.lines()
    assert len(server.seen) == asked
    again = cube_facts(settings)
    columns = ["indicator_id", "region_code", "year", "numerator", "denominator", "retrieved_at"]
    pd.testing.assert_frame_equal(first[columns], again[columns])


def test_offline_without_a_cache_names_what_is_missing(
    previous: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    built_cube: Path,
) -> None:
    before = digest(previous.cube_path)
    report = run(previous, server, catalogue, division, offline=True)
    assert not report.ok
    assert server.seen == []
    assert any("/rest/1.1/regions" in p.reason and "Offline" in p.reason for p in report.problems)
    assert_previous_intact(previous, before, built_cube)


def test_a_partial_refresh_carries_the_other_facts_over(
    previous: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    report = run(previous, server, catalogue, division, indicator="population", years=[2011])
    assert report.ok, report.lines()
    assert report.carried_over > 0
    facts = cube_facts(previous)
    assert set(facts.loc[facts["indicator_id"] == INDICATOR, "year"]) == set(YEARS)
    assert set(facts.loc[facts["indicator_id"] == "population", "year"]) == set(YEARS)


def test_429_then_success_honours_retry_after_and_builds(
    settings: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    regions = server.routes[f"/{SOTKANET}regions"]
    assert isinstance(regions, list)
    server.route(f"/{SOTKANET}regions", Reply(429, b"", {"Retry-After": "3"}), *regions)
    sleeps: list[float] = []
    report = run(settings, server, catalogue, division, sleeps=sleeps)
    assert report.ok, report.lines()
    assert sleeps == [3.0]


# --- faults: each ends with the previous cube intact and a clear message ---------------------


def _rows_with(change: Callable[[list[dict[str, Any]]], Any]) -> Reply:
    rows = copy.deepcopy(load(ROWS))
    change(rows)
    return Reply.json(rows)


FAULTS: dict[str, tuple[str, Reply, str]] = {
    "timeout": ("json", Reply.json([], delay=1.0), "aikakatkaisu"),
    "429": ("json", Reply(429, b"", {"Retry-After": "2"}), "HTTP 429"),
    "500": ("json", Reply(500, b"Internal Server Error"), "HTTP 500"),
    "html": (
        "regions",
        Reply(
            200,
            b"<!DOCTYPE html><html><body>Huoltokatko</body></html>",
            {"Content-Type": "text/html"},
        ),
        "HTML-sivun",
    ),
    "truncated": ("json", Reply(body=json.dumps(load(ROWS)).encode()[:5000]), "katkenneen"),
    "unknown-region": (
        "json",
        _rows_with(lambda rows: rows.append({**rows[0], "region": 99999})),
        "alue-id 99999",
    ),
    "renamed-field": (
        "json",
        _rows_with(lambda rows: [r.update(arvo=r.pop("value")) for r in rows]),
        "puuttuu kenttä 'value'",
    ),
    "empty-body": ("json", Reply(body=b""), "tyhjän vastauksen"),
    "empty-list": ("json", Reply.json([]), "ei palauttanut"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_keeps_the_previous_cube(
    fault: str,
    previous: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    built_cube: Path,
) -> None:
    endpoint, reply, words = FAULTS[fault]
    server.route(f"/{SOTKANET}{endpoint}", reply)
    before = digest(previous.cube_path)
    report = run(previous, server, catalogue, division, timeout=0.2)
    assert not report.ok
    assert report.cube_path is None
    reasons = " | ".join(p.describe() for p in report.problems)
    assert words in reasons
    assert INDICATOR in reasons
    # Which years: a failed request names its batch, a bad row its own year.
    assert "vuodet 2010–2011" in reasons or "vuosi 2010" in reasons
    text = "\n".join(report.lines())
    assert "edellinen kuutio on edelleen käytössä" in text
    assert_previous_intact(previous, before, built_cube)
    assert list(previous.cube_path.parent.glob(".building-*")) == []


def _population_with(change: Callable[[dict[str, Any]], Any]) -> Callable[[Seen], Reply]:
    """An 11s5 route answering queries with a changed copy of the recorded-shape answer."""
    metadata = Reply.file("statfin/pxweb_11s5_metadata.json")

    def answer(seen: Seen) -> Reply:
        if seen.method == "GET":
            return metadata
        dataset = json.loads(statfin_population(seen).body)
        change(dataset)
        return Reply.json(dataset)

    return answer


def _fixed(reply: Reply) -> Callable[[Seen], Reply]:
    """An 11s5 route that answers its metadata but every query with reply."""
    metadata = Reply.file("statfin/pxweb_11s5_metadata.json")
    return lambda seen: metadata if seen.method == "GET" else reply


def _rename_area(dataset: dict[str, Any]) -> None:
    index = dataset["dimension"]["alue"]["category"]["index"]
    index[index.index("KU005")] = "KU999"


STATFIN_FAULTS: dict[str, tuple[Callable[[Seen], Reply], str]] = {
    "timeout": (_fixed(Reply.json({}, delay=1.0)), "aikakatkaisu"),
    "429": (_fixed(Reply(429, b"", {"Retry-After": "1"})), "HTTP 429"),
    "500": (_fixed(Reply(500, b"Internal Server Error")), "HTTP 500"),
    "html": (
        _fixed(Reply(200, b"<html><body>Virhe</body></html>", {"Content-Type": "text/html"})),
        "HTML-sivun",
    ),
    "truncated": (
        _fixed(Reply(body=(FIXTURES / "statfin" / POPULATION_FIXTURE).read_bytes()[:4000])),
        "katkenneen",
    ),
    "unknown-area": (_population_with(_rename_area), "KU999"),
    "renamed-field": (
        _population_with(lambda d: d.update(arvot=d.pop("value"))),
        "kenttä value puuttuu",
    ),
    "empty-body": (_fixed(Reply(body=b"")), "tyhjän vastauksen"),
}


@pytest.mark.parametrize("fault", sorted(STATFIN_FAULTS))
def test_a_statfin_fault_keeps_the_previous_cube(
    fault: str,
    previous: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    built_cube: Path,
) -> None:
    handler, words = STATFIN_FAULTS[fault]
    server.handle(f"/{STATFIN}{POPULATION_PATH}", handler)
    before = digest(previous.cube_path)
    report = run(previous, server, catalogue, division, indicator="population", timeout=0.2)
    assert not report.ok
    reasons = " | ".join(p.describe() for p in report.problems)
    assert words in reasons
    assert "indikaattori population" in reasons
    assert "vuodet 2010–2011" in reasons or "alue KU999" in reasons
    assert "edellinen kuutio on edelleen käytössä" in "\n".join(report.lines())
    assert_previous_intact(previous, before, built_cube)


def test_a_failing_build_keeps_the_previous_cube(
    previous: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    built_cube: Path,
) -> None:
    before = digest(previous.cube_path)

    def broken(*args: Any, **kwargs: Any) -> Path:
        raise DataError("Sama fakta kahdesti: X; jokaisella solulla saa olla yksi arvo.")

    report = run(previous, server, catalogue, division, build=broken)
    assert not report.ok
    assert "kahdesti" in report.problems[0].reason
    assert_previous_intact(previous, before, built_cube)


def test_a_year_the_source_lacks_fails_the_refresh(
    previous: Settings,
    server: FakeServer,
    catalogue: Catalogue,
    division: Division,
    built_cube: Path,
) -> None:
    before = digest(previous.cube_path)
    report = run(previous, server, catalogue, division, years=[2011, 2012])
    assert not report.ok
    years = {(p.indicator_id, p.year) for p in report.problems}
    assert (INDICATOR, 2012) in years
    assert ("population", 2012) in years
    assert_previous_intact(previous, before, built_cube)


def test_an_indicator_no_source_offers(
    settings: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    report = run(settings, server, catalogue, division, indicator="housing-support-need-per-1000")
    assert not report.ok
    assert "client_data" in report.problems[0].reason
    assert server.seen == []


def test_selection_by_phenomenon_and_indicator(catalogue: Catalogue) -> None:
    chosen = select_indicators(catalogue, phenomenon="taloudellinen-tilanne")
    assert INDICATOR in chosen
    assert "psychiatric-inpatients-0-17-per-1000" not in chosen
    assert select_indicators(catalogue, indicator=INDICATOR) == [INDICATOR]


def test_indicators_without_an_open_source_are_listed_not_hidden(
    settings: Settings, server: FakeServer, catalogue: Catalogue, division: Division
) -> None:
    report = run(
        settings, server, catalogue, division,
        indicator=None, phenomenon="asunnottomuus", sources=["statfin"],
    )  # fmt: skip
    assert report.ok, report.lines()
    assert report.requested == ["population"]
    assert "homeless-families" in report.skipped  # ARA: no CSV file loaded
    assert "housing-support-need-per-1000" in report.skipped  # client data
    assert "population" not in report.skipped
    assert any("homeless-families" in line for line in report.lines())


def test_the_same_failure_of_several_indicators_is_one_line() -> None:
    why = "Sotkanetin aluelistaa ei saatu: HTML-sivu"
    report = RefreshReport(
        requested=["a", "b", "c"],
        problems=[
            FetchProblem("a", None, None, why, (2010, 2011)),
            FetchProblem("b", None, None, why, (2010, 2011)),
            FetchProblem("c", "KU999", 2010, "aluekoodia ei ole aluejaossa 2026"),
        ],
    )
    lines = report.lines()
    assert "Ongelmia 2:" in lines[1]
    assert lines[2] == f"  - indikaattorit a, b, vuodet 2010–2011: {why}"
    assert (
        lines[3] == "  - indikaattori c, alue KU999, vuosi 2010: aluekoodia ei ole aluejaossa 2026"
    )


@pytest.mark.parametrize(
    ("per_second", "sotkanet_wait", "statfin_wait"), [(4.0, 0.25, 0.5), (0.5, 2.0, 2.0)]
)
def test_the_politeness_setting_spaces_the_requests(
    per_second: float,
    sotkanet_wait: float,
    statfin_wait: float,
    tmp_path: Path,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(data_dir=tmp_path, fetch_requests_per_second=per_second)
    made: dict[float, int] = {}

    class Recording(refresh_module.HttpClient):
        def __init__(self, **kwargs: Any) -> None:
            made[kwargs["min_interval"]] = made.get(kwargs["min_interval"], 0) + 1
            super().__init__(**kwargs)

    monkeypatch.setattr(refresh_module, "HttpClient", Recording)
    # Offline with an empty cache: the clients are made, nothing goes online.
    report = refresh_module.refresh(
        settings, catalogue, division, indicator=INDICATOR, years=YEARS, offline=True
    )
    assert not report.ok
    expected: dict[float, int] = {}
    for wait in (sotkanet_wait, statfin_wait):
        expected[wait] = expected.get(wait, 0) + 1
    assert made == expected
    assert refresh_module.request_interval(SotkanetSource(), settings) == sotkanet_wait
    assert refresh_module.request_interval(StatFinSource(), settings) == statfin_wait
