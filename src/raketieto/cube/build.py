"""The one writer: validate facts, aggregate, add intervals and comparisons, write, swap in."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.cube.aggregate import aggregate_up, region_levels
from raketieto.cube.schema import (
    DDL,
    FACT_COLUMNS,
    KEY_COLUMNS,
    OPTIONAL_FACT_COLUMNS,
    SCHEMA_VERSION,
    SEXES,
)
from raketieto.cube.store import new_build_path, swap_in
from raketieto.errors import DataError, NotFoundError
from raketieto.regions import Division
from raketieto.settings import Settings
from raketieto.stats.compare import compare_array
from raketieto.stats.intervals import interval_for_unit


def build_cube(
    facts: pd.DataFrame, *, settings: Settings, catalogue: Catalogue, division: Division
) -> Path:
    """Build a complete cube from facts and swap it in; on any error the live cube is untouched."""
    checked = validate_facts(facts, catalogue=catalogue, division=division)
    table = enrich(checked, catalogue=catalogue, division=division)
    target = new_build_path(settings)
    try:
        _write(target, table, division)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return swap_in(target, settings)


def validate_facts(
    facts: pd.DataFrame, *, catalogue: Catalogue, division: Division
) -> pd.DataFrame:
    """Check shape and content; raise DataError naming the first bad value of each kind."""
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise DataError(
            f"Faktoista puuttuu sarake '{missing[0]}'; odotettiin {list(FACT_COLUMNS)}."
        )
    frame = facts.loc[:, list(FACT_COLUMNS)].copy()
    for column in OPTIONAL_FACT_COLUMNS:
        frame[column] = facts[column] if column in facts.columns else False
    if frame.empty:
        raise DataError("Faktoja ei ole lainkaan; tyhjää kuutiota ei rakenneta.")
    unknown = sorted(set(frame["indicator_id"]) - set(catalogue.indicators))
    if unknown:
        raise NotFoundError("indikaattori", str(unknown[0]), catalogue.indicators, hint="faktoissa")
    bad_regions = sorted(set(frame["region_code"]) - set(division.regions))
    if bad_regions:
        raise NotFoundError(
            "aluekoodi", str(bad_regions[0]), division.regions, hint=f"aluejako {division.year}"
        )
    bad_sex = sorted(set(frame["sex"]) - set(SEXES))
    if bad_sex:
        raise DataError(f"Tuntematon sukupuoli '{bad_sex[0]}'; odotettiin {', '.join(SEXES)}.")
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    if frame["year"].isna().any():
        raise DataError("Faktassa on vuosi, joka ei ole kokonaisluku.")
    frame["year"] = frame["year"].astype("int64")
    for column in ("numerator", "denominator", "value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    negative = frame[(frame["denominator"] < 0) | (frame["numerator"] < 0)]
    if not negative.empty:
        row = negative.iloc[0]
        raise DataError(
            f"Negatiivinen osoittaja tai nimittäjä: {row['indicator_id']} {row['region_code']} "
            f"{row['year']}; odotettiin ei-negatiivista lukua."
        )
    duplicated = frame[frame.duplicated(list(KEY_COLUMNS), keep=False)]
    if not duplicated.empty:
        row = duplicated.iloc[0]
        raise DataError(
            f"Sama fakta kahdesti: {row['indicator_id']} {row['region_code']} {row['year']} "
            f"{row['sex']} {row['age_group']}; jokaisella solulla saa olla yksi arvo."
        )
    frame["suppressed"] = frame["suppressed"].fillna(False).astype(bool)
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    frame["derived"] = frame["derived"].fillna(False).astype(bool)
    frame["retrieved_at"] = pd.to_datetime(frame["retrieved_at"], utc=True)
    return frame


def enrich(facts: pd.DataFrame, *, catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """Aggregate what can be summed; add values, intervals and the comparison with the country."""
    aggregable_ids = {i.id for i in catalogue.indicators.values() if i.aggregable}
    summable = facts["indicator_id"].isin(aggregable_ids)
    fixed = facts[~summable].assign(aggregated=False)
    table = pd.concat([aggregate_up(facts[summable], division), fixed], ignore_index=True)
    table["level"] = table["region_code"].map(region_levels(division))

    indicators = [catalogue.indicators[i] for i in table["indicator_id"]]
    scale = np.array([i.unit.scale or np.nan for i in indicators], dtype=float)
    method = np.array([i.unit.ci_method for i in indicators], dtype=object)
    polarity = np.array([i.polarity.value for i in indicators], dtype=object)
    num = table["numerator"].to_numpy(dtype=float)
    den = table["denominator"].to_numpy(dtype=float)

    # The source's published value stands where given; otherwise it follows from the counts.
    is_count = np.array([i.unit.value == "count" for i in indicators])
    computed = np.where(is_count, num, num / np.where(den > 0, den, np.nan) * scale)
    value = table["value"].to_numpy(dtype=float)
    value = np.where(np.isnan(value) | table["aggregated"].to_numpy(), computed, value)

    lower = np.full(len(table), np.nan)
    upper = np.full(len(table), np.nan)
    for name in ("wilson", "poisson"):
        rows = method == name
        if rows.any():
            lower[rows], upper[rows] = interval_for_unit(name, num[rows], den[rows], scale[rows])

    # A numerator derived from a rounded rate is uncertain by half the rate's last digit too.
    half_unit = np.array([0.5 * 10.0**-i.decimals for i in indicators], dtype=float)
    derived = table["derived"].to_numpy(dtype=bool)
    lower[derived] = np.maximum(lower[derived] - half_unit[derived], 0.0)
    upper[derived] = upper[derived] + half_unit[derived]

    suppressed = table["suppressed"].to_numpy(dtype=bool)
    value[suppressed] = np.nan
    lower[suppressed] = np.nan
    upper[suppressed] = np.nan
    table["value"] = value
    table["ci_lower"] = lower
    table["ci_upper"] = upper
    table.loc[suppressed, "numerator"] = np.nan

    reference = _country_values(table)
    table["comparison"] = compare_array(value, lower, upper, reference, polarity)
    return table


def _country_values(table: pd.DataFrame) -> np.ndarray:
    keys = ["indicator_id", "year", "sex", "age_group"]
    country = table.loc[table["region_code"] == "SSS", [*keys, "value"]]
    merged = table[keys].merge(country, on=keys, how="left")
    reference: np.ndarray = merged["value"].to_numpy(dtype=float, copy=True)
    # The country is not compared with itself.
    reference[(table["region_code"] == "SSS").to_numpy()] = np.nan
    return reference


def _write(path: Path, table: pd.DataFrame, division: Division) -> None:
    columns = [
        "indicator_id", "region_code", "level", "year", "sex", "age_group", "numerator",
        "denominator", "value", "ci_lower", "ci_upper", "comparison", "suppressed",
        "suppression_reason", "aggregated", "derived", "source", "source_version", "retrieved_at",
        "synthetic", "note",
    ]  # fmt: skip
    out = table.loc[:, columns].copy()
    out["retrieved_at"] = out["retrieved_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    regions = pd.DataFrame(
        [
            (r.code, r.level.value, r.parent_code, r.name("fi"), r.name("sv"), r.name("en"))
            for r in division.regions.values()
        ],
        columns=["code", "level", "parent_code", "name_fi", "name_sv", "name_en"],
    )
    meta = pd.DataFrame(
        {
            "key": ["schema_version", "built_at", "division_year"],
            "value": [SCHEMA_VERSION, dt.datetime.now(dt.UTC).isoformat(), str(division.year)],
        }
    )
    connection = duckdb.connect(str(path))
    try:
        connection.execute(DDL)
        connection.register("facts_frame", out)
        connection.execute(f"INSERT INTO facts SELECT {', '.join(columns)} FROM facts_frame")
        connection.register("regions_frame", regions)
        connection.execute("INSERT INTO regions SELECT * FROM regions_frame")
        connection.register("meta_frame", meta)
        connection.execute("INSERT INTO meta SELECT * FROM meta_frame")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
