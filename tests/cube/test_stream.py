"""The build streams: frames one at a time, in batches of whole indicators, same cube."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from raketieto.catalogue import load_catalogue
from raketieto.cube import build
from raketieto.cube.build import build_cube
from raketieto.cube.schema import CUBE_COLUMNS, FACT_COLUMNS
from raketieto.errors import DataError
from raketieto.pipeline.demo import demo_facts
from raketieto.regions import load_division
from raketieto.settings import Settings

CHOSEN = ["population", "social-assistance-recipients-pct", "unemployed-pct-of-labour-force"]


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    every = demo_facts(load_catalogue(), load_division(2026))
    return every[every["indicator_id"].isin(CHOSEN)].reset_index(drop=True)


def _same(got: object, expected: object) -> bool:
    if isinstance(got, float) and isinstance(expected, float):
        both_nan = math.isnan(got) and math.isnan(expected)
        return both_nan or math.isclose(got, expected, rel_tol=1e-12)
    return got == expected


def _cube_rows(settings: Settings) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.cube_path), read_only=True) as connection:
        return connection.execute(
            f"SELECT {', '.join(CUBE_COLUMNS)} FROM facts "
            "ORDER BY indicator_id, region_code, year, sex, age_group"
        ).fetchall()


def test_frames_one_by_one_in_small_batches_build_the_same_cube(
    facts: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue, division = load_catalogue(), load_division(2026)
    whole = Settings(data_dir=tmp_path / "whole")
    build_cube(facts, settings=whole, catalogue=catalogue, division=division)
    handed: list[int] = []

    def frames() -> Iterator[pd.DataFrame]:
        for _, part in facts.groupby(["indicator_id", "year"]):
            handed.append(len(part))
            yield part

    monkeypatch.setattr(build, "BATCH_FACTS", 1000)  # several batches, one indicator at least
    streamed = Settings(data_dir=tmp_path / "streamed")
    build_cube(frames(), settings=streamed, catalogue=catalogue, division=division)
    assert len(handed) > 50
    got, expected = _cube_rows(streamed), _cube_rows(whole)
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        # Sums of other frames' rows in another order may differ in the last binary digit.
        assert all(_same(a, b) for a, b in zip(row, want, strict=True)), (row, want)
    assert not list(streamed.cube_path.parent.glob(".building-*"))


def test_a_fact_repeated_in_another_frame_stops_the_build(
    facts: pd.DataFrame, tmp_path: Path
) -> None:
    catalogue, division = load_catalogue(), load_division(2026)
    settings = Settings(data_dir=tmp_path / "var")
    first = facts.iloc[:100]
    again = facts.iloc[[5]]
    with pytest.raises(DataError, match="Sama fakta kahdesti"):
        build_cube(iter([first, again]), settings=settings, catalogue=catalogue, division=division)
    with pytest.raises(DataError, match="Faktoja ei ole lainkaan"):
        empty = pd.DataFrame(columns=list(FACT_COLUMNS))
        build_cube(iter([empty]), settings=settings, catalogue=catalogue, division=division)
    assert not settings.cube_path.exists()
    assert not list(settings.cube_path.parent.glob(".building-*"))
