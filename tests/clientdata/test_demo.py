"""The demo's synthetic client-data facts: labelled synthetic, disclosure-controlled, cube-ready."""

from __future__ import annotations

import duckdb
import pytest

from raketieto.catalogue import load_catalogue
from raketieto.clientdata.facts import SYNTHETIC_SOURCE
from raketieto.cube.build import build_cube
from raketieto.cube.schema import FACT_COLUMNS
from raketieto.pipeline.clientdata_demo import DEMO_YEAR, synthetic_client_facts
from raketieto.regions import load_division
from raketieto.settings import Settings


@pytest.mark.slow
def test_synthetic_client_facts_build_into_a_cube(settings: Settings) -> None:
    catalogue = load_catalogue()
    division = load_division()
    facts = synthetic_client_facts(division, catalogue, seed=7, events=60_000)
    assert list(facts.columns) == list(FACT_COLUMNS)
    client_ids = {i.id for i in catalogue.indicators.values() if i.source.kind == "client_data"}
    assert set(facts["indicator_id"]) == client_ids
    assert facts["synthetic"].all() and (facts["source"] == SYNTHETIC_SOURCE).all()
    assert set(facts["year"]) == {DEMO_YEAR}
    shown = facts[~facts["suppressed"]]
    assert not shown["numerator"].between(1, 4).any()
    assert facts.loc[facts["suppressed"], "numerator"].isna().all()
    path = build_cube(facts, settings=settings, catalogue=catalogue, division=division)
    connection = duckdb.connect(str(path), read_only=True)
    try:
        rows = connection.execute(
            "SELECT count(*), count(ci_lower), bool_and(synthetic) FROM facts "
            "WHERE region_code = 'SSS' AND NOT suppressed"
        ).fetchall()
    finally:
        connection.close()
    count, with_interval, synthetic = rows[0]
    assert count == len(client_ids) * 6 and with_interval == count and synthetic
