"""The one writer: validate facts, aggregate, add intervals and comparisons, write, swap in."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.cube.aggregate import aggregate_up, region_levels
from raketieto.cube.schema import (
    CUBE_COLUMNS,
    DDL,
    FACT_COLUMNS,
    FACTS,
    KEY_COLUMNS,
    OPTIONAL_FACT_COLUMNS,
    SCHEMA_VERSION,
    SEXES,
    SUMMARY_SQL,
    columns_sql,
)
from raketieto.cube.store import new_build_path, swap_in
from raketieto.errors import DataError, NotFoundError
from raketieto.regions import Division
from raketieto.settings import Settings
from raketieto.stats.compare import compare_array
from raketieto.stats.intervals import interval_for_unit

#: Facts the builder holds in memory at once (one batch of whole indicators, about 1 KiB each
#: while enriched); the rest wait in a staging file on disk.
BATCH_FACTS = 400_000
#: DuckDB's own memory cap in the build; beyond it DuckDB spills to disk.
DUCKDB_MEMORY = "1GB"


def build_cube(
    facts: pd.DataFrame | Iterable[pd.DataFrame],
    *,
    settings: Settings,
    catalogue: Catalogue,
    division: Division,
    before_swap: Callable[[Path], None] | None = None,
) -> Path:
    """Build a complete cube from facts and swap it in; on any error the live cube is untouched.

    facts is one frame or an iterable of frames (e.g. one per indicator or per source), each
    with FACT_COLUMNS. The frames are validated and staged on disk one at a time, then
    aggregated, enriched and written one batch of whole indicators at a time, so memory is
    bounded by the largest frame and batch, not by the size of the cube.

    before_swap(path) is called with the finished cube file before it goes live (e.g. to make
    what is published with it: pipeline.publish); an error there, or in the swap itself, leaves
    the live cube as it was and no build file behind.
    """
    target = new_build_path(settings)
    staging = target.with_name(target.stem + ".staging.duckdb")
    try:
        _build(target, staging, facts, catalogue=catalogue, division=division)
        with contextlib.suppress(OSError):
            staging.unlink()
        if before_swap is not None:
            before_swap(target)
        return swap_in(target, settings)
    except BaseException:
        # After a rename that went through, target names nothing: the cube is live.
        for leftover in (target, staging, Path(f"{staging}.wal"), Path(f"{target}.wal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise


#: What validate_facts hands on and the staging table keeps: the given and the optional columns,
#: in table order.
STAGED_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in FACTS if c.given or c.name in OPTIONAL_FACT_COLUMNS
)


def _build(
    target: Path,
    staging: Path,
    facts: pd.DataFrame | Iterable[pd.DataFrame],
    *,
    catalogue: Catalogue,
    division: Division,
) -> None:
    frames = [facts] if isinstance(facts, pd.DataFrame) else facts
    connection = duckdb.connect(str(target))
    try:
        connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        connection.execute("SET preserve_insertion_order = false")
        connection.execute("ATTACH '" + str(staging).replace("'", "''") + "' AS staging")
        staged_columns = tuple(c for c in FACTS if c.name in STAGED_COLUMNS)
        connection.execute(
            f"CREATE TABLE staging.staged ({columns_sql(staged_columns, constraints=False)})"
        )
        chunks = 0
        for frame in frames:
            if frame.empty and FACT_COLUMNS[0] in frame.columns:
                continue
            checked = validate_facts(frame, catalogue=catalogue, division=division)
            _stage(connection, checked)
            chunks += 1
        if chunks == 0:
            raise DataError("Faktoja ei ole lainkaan; tyhjää kuutiota ei rakenneta.")
        if chunks > 1:
            _check_unique(connection)  # within one frame validate_facts has checked it
        connection.execute(DDL)
        for batch in _batches(connection):
            staged = connection.execute(
                f"SELECT {', '.join(STAGED_COLUMNS)} FROM staging.staged "
                "WHERE indicator_id IN (SELECT UNNEST(?))",
                [batch],
            ).df()
            staged["retrieved_at"] = pd.to_datetime(staged["retrieved_at"]).dt.tz_localize("UTC")
            table = enrich(staged, catalogue=catalogue, division=division)
            _insert_facts(connection, table)
            del staged, table
        connection.execute("DETACH staging")
        _write_tables(connection, division)
        connection.execute(SUMMARY_SQL)
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _stage(connection: duckdb.DuckDBPyConnection, checked: pd.DataFrame) -> None:
    out = checked.copy()
    out["retrieved_at"] = out["retrieved_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    connection.register("chunk_frame", out)
    try:
        connection.execute(
            f"INSERT INTO staging.staged SELECT {', '.join(STAGED_COLUMNS)} FROM chunk_frame"
        )
    finally:
        connection.unregister("chunk_frame")


def _check_unique(connection: duckdb.DuckDBPyConnection) -> None:
    keys = ", ".join(KEY_COLUMNS)
    row = connection.execute(
        f"SELECT {keys} FROM staging.staged GROUP BY {keys} HAVING count(*) > 1 "
        f"ORDER BY {keys} LIMIT 1"
    ).fetchone()
    if row is not None:
        indicator_id, region_code, year, sex, age_group = row
        raise DataError(
            f"Sama fakta kahdesti: {indicator_id} {region_code} {year} {sex} {age_group}; "
            "jokaisella solulla saa olla yksi arvo."
        )


def _batches(connection: duckdb.DuckDBPyConnection) -> list[list[str]]:
    """Indicators in id order, grouped so that each batch holds about BATCH_FACTS facts."""
    counts = connection.execute(
        "SELECT indicator_id, count(*) FROM staging.staged GROUP BY 1 ORDER BY 1"
    ).fetchall()
    batches: list[list[str]] = []
    size = BATCH_FACTS
    for indicator_id, count in counts:
        if size + int(count) > BATCH_FACTS and size > 0:
            batches.append([])
            size = 0
        batches[-1].append(str(indicator_id))
        size += int(count)
    return batches


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


def _insert_facts(connection: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> None:
    """Append enriched facts in key order: readers then skip whole row groups by indicator."""
    out = table.loc[:, list(CUBE_COLUMNS)].copy()
    out["retrieved_at"] = out["retrieved_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    connection.register("facts_frame", out)
    try:
        connection.execute(
            f"INSERT INTO facts SELECT {', '.join(_stored(c) for c in CUBE_COLUMNS)} "
            "FROM facts_frame ORDER BY indicator_id, region_code, sex, age_group, year"
        )
    finally:
        connection.unregister("facts_frame")


#: The numbers are stored to 15 significant digits, all that Excel keeps (the exports' rule in
#: reports/tidy.excel_precision): a mean such as 5.8500000000000005 is stored as 5.85, so the
#: page and every file round it the same way.
_NUMBERS = frozenset({"numerator", "denominator", "value", "ci_lower", "ci_upper"})


def _stored(column: str) -> str:
    if column in _NUMBERS:
        return f"CAST(printf('%.15g', {column}) AS DOUBLE) AS {column}"
    return column


def _write_tables(connection: duckdb.DuckDBPyConnection, division: Division) -> None:
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
    connection.register("regions_frame", regions)
    connection.execute("INSERT INTO regions SELECT * FROM regions_frame")
    connection.register("meta_frame", meta)
    connection.execute("INSERT INTO meta SELECT * FROM meta_frame")
