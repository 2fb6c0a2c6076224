"""The indicator rules are written once in Ibis: DuckDB and Spark must agree exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from raketieto.clientdata.indicators import RULES, client_counts
from raketieto.clientdata.synth import generate_extract, write_extract
from raketieto.clientdata.validate import stage_extract
from raketieto.regions import load_division

DIVISION = load_division()


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engines")
    extract = write_extract(
        generate_extract(4000, seed=11, division=DIVISION), folder / "e.parquet", seed=11
    )
    out = folder / "staged.parquet"
    stage_extract(extract, out, division=DIVISION)
    return out


def test_duckdb_counts_cover_every_rule(staged: Path) -> None:
    counts = client_counts(staged, engine="duckdb")
    assert set(counts["rule"]) == set(RULES)
    assert (counts["numerator"] >= 0).all()
    shares = counts[counts["denominator"].notna()]
    assert (shares["numerator"] <= shares["denominator"]).all()


@pytest.mark.spark
@pytest.mark.slow
def test_duckdb_and_spark_give_identical_counts(staged: Path) -> None:
    on_duckdb = client_counts(staged, engine="duckdb")
    on_spark = client_counts(staged, engine="spark")
    assert len(on_duckdb) > 100
    pd.testing.assert_frame_equal(on_duckdb, on_spark, check_exact=True)
