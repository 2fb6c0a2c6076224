"""The cube's columns and tables, in one place."""

from __future__ import annotations

SCHEMA_VERSION = "2"

#: Columns a source hands to the cube builder (one row per fact).
FACT_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "region_code",
    "year",
    "sex",
    "age_group",
    "numerator",
    "denominator",
    "value",
    "suppressed",
    "suppression_reason",
    "source",
    "source_version",
    "retrieved_at",
    "synthetic",
    "note",
)

#: Columns a source may hand over; the builder fills them when absent (derived = False).
OPTIONAL_FACT_COLUMNS: tuple[str, ...] = ("derived",)

KEY_COLUMNS: tuple[str, ...] = ("indicator_id", "region_code", "year", "sex", "age_group")

SEXES = ("total", "male", "female")

DDL = """
CREATE TABLE facts (
    indicator_id VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    sex VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    ci_lower DOUBLE,
    ci_upper DOUBLE,
    comparison VARCHAR NOT NULL,
    suppressed BOOLEAN NOT NULL,
    suppression_reason VARCHAR,
    aggregated BOOLEAN NOT NULL,
    derived BOOLEAN NOT NULL DEFAULT FALSE,
    source VARCHAR NOT NULL,
    source_version VARCHAR,
    retrieved_at TIMESTAMP,
    synthetic BOOLEAN NOT NULL,
    note VARCHAR,
    PRIMARY KEY (indicator_id, region_code, year, sex, age_group)
);
CREATE TABLE regions (
    code VARCHAR PRIMARY KEY,
    level VARCHAR NOT NULL,
    parent_code VARCHAR,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL
);
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""
