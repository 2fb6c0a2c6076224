"""The demo cube on real data: exact levels, intervals, provenance, an all-or-nothing swap."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from raketieto.catalogue import load_catalogue
from raketieto.cube.build import build_cube
from raketieto.cube.query import CubeReader
from raketieto.errors import DataError, NotFoundError
from raketieto.pipeline.demo import demo_facts
from raketieto.regions import Level, load_division
from raketieto.settings import Settings


@pytest.fixture(scope="module")
def facts(demo_settings: Settings) -> pd.DataFrame:
    with CubeReader.open(demo_settings) as reader:
        return reader.facts(sex=None, age_group=None)


def test_every_level_is_the_sum_of_the_level_below_on_real_data(facts: pd.DataFrame) -> None:
    division = load_division(2026)
    catalogue = load_catalogue()
    aggregable = {i.id for i in catalogue.indicators.values() if i.aggregable}
    checked = 0
    # The real public data only: synthetic client-data facts are disclosure-controlled, so a
    # published parent is by design not the sum of its published (partly suppressed) children;
    # their sums are checked in tests/clientdata.
    summed = facts[facts["indicator_id"].isin(aggregable) & ~facts["synthetic"].astype(bool)]
    for level in (Level.COUNTY, Level.COLLABORATIVE_AREA, Level.COUNTRY):
        parents = summed[summed["level"] == level.value]
        child_of = {
            c.code: p.code for p in division.at_level(level) for c in division.children(p.code)
        }
        children = summed[summed["region_code"].isin(child_of)]
        sums = (
            children.assign(parent=children["region_code"].map(child_of))
            .groupby(["indicator_id", "parent", "year", "sex", "age_group"])[
                ["numerator", "denominator"]
            ]
            .sum(min_count=1)
            .reset_index()
            .rename(columns={"parent": "region_code"})
        )
        keys = ["indicator_id", "region_code", "year", "sex", "age_group"]
        # A parent the source published itself is kept only where its children are incomplete.
        published = parents[~parents["aggregated"].astype(bool)]
        counted = (
            children.dropna(subset=["numerator"])
            .assign(region_code=children["region_code"].map(child_of))
            .groupby(keys)
            .size()
        )
        expected = published["region_code"].map(lambda code: len(division.children(code)))
        found = counted.reindex(pd.MultiIndex.from_frame(published[keys])).fillna(0)
        assert (found.to_numpy() < expected.to_numpy()).all()
        parents = parents[parents["aggregated"].astype(bool)]
        both = parents.merge(sums, on=keys)
        assert len(both) == len(parents)
        assert (both["numerator_x"] - both["numerator_y"]).abs().max() < 1e-6
        denominators = both.dropna(subset=["denominator_x"])
        assert (denominators["denominator_x"] == denominators["denominator_y"]).all()
        checked += len(both)
    assert checked > 1000


def test_population_totals_are_the_published_ones(facts: pd.DataFrame) -> None:
    population = facts[(facts["indicator_id"] == "population") & (facts["sex"] == "total")]
    country = population[
        (population["region_code"] == "SSS") & (population["age_group"] == "total")
    ]
    by_year = country.set_index("year")["value"]
    derived = pd.read_csv(
        Path(__file__).parents[2]
        / "src/raketieto/data/population/population_country_yta_hva_2024_derived.csv",
        dtype={"code": str},
    ).set_index("code")["population"]
    assert derived["SSS"] == 5_635_971
    # The cube's whole country is the sum of the counties: Åland (HVA91) is outside.
    assert by_year[2024] == 5_635_971 - derived["HVA91"]
    assert by_year[2012] > 5_390_000
    assert 2023 not in by_year.index  # no file for 2023: missing, not invented


def test_rates_from_counts_with_intervals_and_comparison(facts: pd.DataFrame) -> None:
    rows = facts[
        (facts["indicator_id"] == "social-assistance-recipients-pct") & (facts["year"] == 2011)
    ]
    assert not rows.empty
    county = rows[rows["region_code"] == "HVA13"].iloc[0]
    assert county["value"] == pytest.approx(county["numerator"] / county["denominator"] * 100)
    assert county["ci_lower"] < county["value"] < county["ci_upper"]
    assert county["comparison"] in {"better", "similar", "worse"}
    assert bool(county["aggregated"])
    assert county["source"] == "sotkanet"
    assert rows[rows["region_code"] == "SSS"].iloc[0]["comparison"] == "not_compared"


def test_rates_without_counts_stay_at_municipality_level(facts: pd.DataFrame) -> None:
    rows = facts[facts["indicator_id"] == "antidepressant-reimbursement-18-64-per-1000"]
    assert not rows.empty
    assert set(rows["level"]) == {"municipality"}
    # Kuopio absorbed Maaninka (2015) and Juankoski (2017): no comparable value before.
    assert "KU297" not in set(rows["region_code"])


def _live_built_at(settings: Settings) -> str:
    with CubeReader.open(settings) as reader:
        return reader.meta()["built_at"]


def test_invalid_facts_leave_the_live_cube_untouched(demo_settings: Settings) -> None:
    before = _live_built_at(demo_settings)
    catalogue = load_catalogue()
    division = load_division(2026)
    good = demo_facts(catalogue, division).head(50)
    for bad, error in (
        (good.assign(region_code="KU999"), NotFoundError),
        (good.assign(indicator_id="nonexistent"), NotFoundError),
        (pd.concat([good, good.head(1)]), DataError),
        (good.assign(denominator=-1.0), DataError),
        (good.drop(columns=["source"]), DataError),
    ):
        with pytest.raises(error):
            build_cube(bad, settings=demo_settings, catalogue=catalogue, division=division)
    assert _live_built_at(demo_settings) == before
    assert not list(demo_settings.cube_path.parent.glob(".building-*"))


def test_readers_cannot_write(demo_settings: Settings) -> None:
    with CubeReader.open(demo_settings) as reader, pytest.raises(duckdb.Error):
        reader._connection.execute("DELETE FROM facts")


@pytest.mark.slow
def test_a_build_killed_mid_write_leaves_the_previous_cube(
    demo_settings: Settings, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    env = {**os.environ, "RAKETIETO_DATA_DIR": str(settings.data_dir)}
    subprocess.run(
        [sys.executable, "-m", "raketieto", "build-demo"], env=env, check=True, capture_output=True
    )
    before = _live_built_at(settings)
    folder = settings.cube_path.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "raketieto", "build-demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(folder.glob(".building-*")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _live_built_at(settings) == before
    with CubeReader.open(settings) as reader:
        assert len(reader.facts(indicator_ids=["population"], region_codes=["SSS"])) > 20


def test_suppressed_client_data_cells_stay_suppressed_in_the_demo_cube(facts: pd.DataFrame) -> None:
    # The cube's own aggregation must never fill in a cell that disclosure control hid.
    client = facts[facts["synthetic"].astype(bool)]
    hidden = client[client["suppressed"].astype(bool)]
    assert len(hidden) > 0 and len(hidden) < len(client)
    assert hidden["numerator"].isna().all()
    assert hidden["value"].isna().all()
    assert hidden["suppression_reason"].notna().all()
