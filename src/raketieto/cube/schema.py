"""The cube's columns and tables, in one place."""

from __future__ import annotations

from typing import NamedTuple

SCHEMA_VERSION = "2"


class Column(NamedTuple):
    """One column of the facts table: its SQL type, and whether a source hands it in."""

    name: str
    sql_type: str
    nullable: bool
    #: True when sources hand it to the builder; False when the builder computes it.
    given: bool
    #: The SQL default of a column older writers and tests may leave out.
    default: str | None = None


#: Every column of the facts table, in table order. Adding a column is one line here (and, for
#: a computed one, the code that computes it in cube/build.py's enrich).
FACTS: tuple[Column, ...] = (
    Column("indicator_id", "VARCHAR", False, True),
    Column("region_code", "VARCHAR", False, True),
    Column("level", "VARCHAR", False, False),
    Column("year", "INTEGER", False, True),
    Column("sex", "VARCHAR", False, True),
    Column("age_group", "VARCHAR", False, True),
    Column("numerator", "DOUBLE", True, True),
    Column("denominator", "DOUBLE", True, True),
    Column("value", "DOUBLE", True, True),
    Column("ci_lower", "DOUBLE", True, False),
    Column("ci_upper", "DOUBLE", True, False),
    Column("comparison", "VARCHAR", False, False),
    Column("suppressed", "BOOLEAN", False, True),
    Column("suppression_reason", "VARCHAR", True, True),
    Column("aggregated", "BOOLEAN", False, False),
    # Handed in by sources that derive a numerator from a published rate; False when absent.
    Column("derived", "BOOLEAN", False, False, "FALSE"),
    Column("source", "VARCHAR", False, True),
    Column("source_version", "VARCHAR", True, True),
    Column("retrieved_at", "TIMESTAMP", True, True),
    Column("synthetic", "BOOLEAN", False, True),
    Column("note", "VARCHAR", True, True),
)

#: Columns a source hands to the cube builder (one row per fact).
FACT_COLUMNS: tuple[str, ...] = tuple(c.name for c in FACTS if c.given)
#: Columns a source may hand over; the builder fills them when absent (derived = False).
OPTIONAL_FACT_COLUMNS: tuple[str, ...] = ("derived",)
#: Columns of the facts table, in order.
CUBE_COLUMNS: tuple[str, ...] = tuple(c.name for c in FACTS)

KEY_COLUMNS: tuple[str, ...] = ("indicator_id", "region_code", "year", "sex", "age_group")

SEXES = ("total", "male", "female")


def columns_sql(columns: tuple[Column, ...], *, constraints: bool = True) -> str:
    """The column definitions of a CREATE TABLE for columns."""
    return ",\n    ".join(
        f"{c.name} {c.sql_type}{'' if c.nullable or not constraints else ' NOT NULL'}"
        f"{f' DEFAULT {c.default}' if c.default is not None and constraints else ''}"
        for c in columns
    )


# The facts are unique by KEY_COLUMNS: the builder checks it before writing. There is no
# PRIMARY KEY index, because an index over tens of millions of keys costs gigabytes of memory
# in the build and is not needed to read: the builder writes the rows in key order (indicator,
# area, sex, age group, year), so DuckDB's per-row-group min/max skip what a query filters out.
DDL = f"""
CREATE TABLE facts (
    {columns_sql(FACTS)}
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

#: The table of what the facts hold per indicator, year and synthetic flag: a few rows per
#: indicator, so that the questions every page asks of the whole cube (which years, which
#: indicators) read it instead of scanning tens of millions of facts. with_value: some value
#: is not NULL; with_number: some value is neither NULL nor NaN. The builder makes it after
#: the facts are written; a cube without it (older, or written by hand) is read from its facts.
SUMMARY_TABLE = "fact_summary"
SUMMARY_SQL = f"""
CREATE TABLE {SUMMARY_TABLE} AS
SELECT indicator_id, year, synthetic, count(*) AS facts,
       bool_or(value IS NOT NULL) AS with_value,
       bool_or(value IS NOT NULL AND NOT isnan(value)) AS with_number
FROM facts GROUP BY indicator_id, year, synthetic ORDER BY indicator_id, year, synthetic
"""
