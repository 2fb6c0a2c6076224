"""Client-data indicators, written once in Ibis: the same expressions run on DuckDB and on Spark.

Each rule counts units (persons or assessments) in the finest cell, municipality × year × sex ×
age group; every unit lands in exactly one cell, so all higher levels and margins are exact sums
(done in facts.py and disclosure.py). See docs/clientdata.md for the definitions.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ibis
import pandas as pd
from ibis import _

from raketieto.clientdata import schema
from raketieto.errors import DataError

Engine = Literal["duckdb", "spark"]

#: Age groups of the results: those the 2024 population file has, so every per-1,000 rate has
#: a denominator (age = calendar year − birth year, the age reached during the year).
AGE_GROUPS = ("0-14", "15-64", "65+")
SEXES = {1: "male", 2: "female"}


@dataclass(frozen=True)
class Rule:
    """One client-data indicator rule (the catalogue's source.rule)."""

    id: str
    unit: str
    #: 'population': per 1,000 of the population; 'count': a share of a client count.
    denominator: Literal["population", "count"]
    description: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule(
            "support_need:housing",
            "persons",
            "population",
            "henkilöt, joiden vuoden aikana valmistunut arviointi totesi asumisen tuen tarpeen",
        ),
        Rule(
            "support_need:financial",
            "persons",
            "population",
            "henkilöt, joiden arviointi totesi taloudellisen tuen tarpeen",
        ),
        Rule(
            "support_need:mental_health",
            "persons",
            "population",
            "henkilöt, joiden arviointi totesi mielenterveysongelmasta johtuvan tuen tarpeen",
        ),
        Rule(
            "support_need:substance_use",
            "persons",
            "population",
            "henkilöt, joiden arviointi totesi päihteiden ongelmakäytöstä johtuvan tuen tarpeen",
        ),
        Rule(
            "support_need:substance_use+mental_health",
            "persons",
            "population",
            "henkilöt, joilla samana vuonna todettiin sekä päihde- että mielenterveysperusteinen "
            "tuen tarve",
        ),
        Rule(
            "social_assistance:preventive",
            "persons",
            "population",
            "ehkäisevää toimeentulotukea saaneet henkilöt",
        ),
        Rule(
            "assessment_within_3_months",
            "assessments",
            "count",
            "kolmessa kuukaudessa vireilletulosta valmistuneet arvioinnit"
            " / valmistuneet arvioinnit",
        ),
        Rule(
            "returning_within_12_months",
            "persons",
            "count",
            "asiakkuuden päättymisestä 12 kuukauden kuluessa palanneet / asiakkuus päättyi",
        ),
    ]
}

_NEED_RULES = {
    "support_need:housing": ("housing",),
    "support_need:financial": ("financial",),
    "support_need:mental_health": ("mental_health",),
    "support_need:substance_use": ("substance_use",),
    "support_need:substance_use+mental_health": ("substance_use", "mental_health"),
}
CELL = ["municipality", "year", "sex", "age_group"]
COUNT_COLUMNS = ["rule", *CELL, "numerator", "denominator"]


# --- engines ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def spark_session() -> Any:
    """A local Spark session (2 cores), created once per process."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("raketieto-clientdata")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )


@contextmanager
def connect(engine: Engine) -> Iterator[Any]:
    """An Ibis backend for engine: embedded DuckDB, or PySpark in local mode."""
    if engine == "duckdb":
        backend = ibis.duckdb.connect()
        try:
            yield backend
        finally:
            backend.disconnect()
    elif engine == "spark":
        yield ibis.pyspark.connect(spark_session())
    else:
        raise DataError(f"Tuntematon laskentamoottori '{engine}'; odotettiin duckdb tai spark.")


# --- the expressions --------------------------------------------------------------------------


def _prepared(events: ibis.Table) -> ibis.Table:
    """Add year, age group, integer municipality and a sortable (date, municipality) key."""
    date = events.event_date
    year = date.year()
    age = year - events.birth_year
    # Cast before multiplying: Spark's year() is a 32-bit integer and would overflow.
    ymd = year.cast("int64") * 10000 + date.month().cast("int64") * 100 + date.day().cast("int64")
    return events.mutate(
        year=year,
        age_group=ibis.cases((age <= 14, "0-14"), (age <= 64, "15-64"), else_="65+"),
        date_key=ymd * 1000 + events.municipality.cast("int64"),
    )


def _per_person_year(events: ibis.Table, **flags: ibis.Value) -> ibis.Table:
    """One row per person and year: the municipality of the last event, sex, age and flags.

    The last event's municipality comes from the largest (date, municipality) key, so ties on
    one day are broken the same way on every engine.
    """
    grouped = events.group_by(["person_key", "year"]).aggregate(
        last_key=events.date_key.max(),
        sex=events.sex.min(),
        birth_year=events.birth_year.min(),
        **flags,
    )
    age = grouped.year - grouped.birth_year
    return grouped.mutate(
        municipality=(grouped.last_key % 1000).cast("int64"),
        age_group=ibis.cases((age <= 14, "0-14"), (age <= 64, "15-64"), else_="65+"),
    )


def need_counts(events: ibis.Table) -> ibis.Table:
    """Persons by cell with each support need found in an assessment completed in the year."""
    ends = events.filter(events.event_type == "assessment_end")
    needed = {need for needs in _NEED_RULES.values() for need in needs}
    flags = {
        f"has_{need}": ends[schema.need_column(need)].cast("int64").max() for need in sorted(needed)
    }
    people = _per_person_year(ends, **flags)
    sums = {
        # Flags are 0/1, so their product says "all of these needs".
        rule: functools.reduce(operator.mul, [people[f"has_{need}"] for need in needs]).sum()
        for rule, needs in _NEED_RULES.items()
    }
    return people.group_by(CELL).aggregate(**sums)


def preventive_assistance_counts(events: ibis.Table) -> ibis.Table:
    """Persons by cell who received preventive social assistance in the year."""
    decisions = events.filter(
        (events.event_type == "social_assistance_decision")
        & (events.assistance_type == "preventive")
    )
    people = _per_person_year(decisions)
    return people.group_by(CELL).aggregate(numerator=_.count())


def _months_within(later: ibis.Value, earlier: ibis.Value, months: int) -> ibis.Value:
    """later is at most `months` calendar months after earlier (day clipped to month end)."""
    diff = (later.year() * 12 + later.month()) - (earlier.year() * 12 + earlier.month())
    return (diff < months) | ((diff == months) & (later.day() <= earlier.day()))


def assessment_time_counts(events: ibis.Table) -> ibis.Table:
    """Assessments completed in the year by cell: in time (SHL 36 §: 3 months) and all."""
    ends = events.filter(events.event_type == "assessment_end")
    in_time = _months_within(ends.event_date, ends.pending_date, 3).cast("int64")
    cells = ends.mutate(municipality=ends.municipality.cast("int64"), in_time=in_time)
    return cells.group_by(CELL).aggregate(numerator=_.in_time.sum(), denominator=_.count())


def returning_counts(events: ibis.Table) -> ibis.Table:
    """Persons whose client relationship ended in the year, and those who came back in 12 months.

    A person is counted once a year, in the municipality of the year's first end; they returned
    if any contact or notification came within 12 months after that end.
    """
    ends = events.filter(events.event_type == "relationship_end")
    first = ends.group_by(["person_key", "year"]).aggregate(
        first_key=ends.date_key.min(),
        first_end=ends.event_date.min(),
        sex=ends.sex.min(),
        birth_year=ends.birth_year.min(),
    )
    age = first.year - first.birth_year
    people = first.mutate(
        municipality=(first.first_key % 1000).cast("int64"),
        age_group=ibis.cases((age <= 14, "0-14"), (age <= 64, "15-64"), else_="65+"),
    )
    contacts = events.filter(events.event_type == "contact").select(
        contact_key=_.person_key, contact_date=_.event_date
    )
    returned = people.semi_join(
        contacts,
        [
            people.person_key == contacts.contact_key,
            contacts.contact_date > people.first_end,
            _months_within(contacts.contact_date, people.first_end, 12),
        ],
    )
    ended = people.group_by(CELL).aggregate(denominator=_.count())
    came_back = returned.group_by(CELL).aggregate(numerator=_.count())
    joined = ended.left_join(came_back, CELL)
    return joined.select(
        *[ended[c] for c in CELL],
        numerator=joined.numerator.fill_null(0),
        denominator=joined.denominator,
    )


# --- running them -----------------------------------------------------------------------------


def client_counts(staged: Path, *, engine: Engine = "duckdb") -> pd.DataFrame:
    """Unsuppressed counts by rule × municipality × year × sex × age group, from a staged file.

    Columns COUNT_COLUMNS; municipality is the 3-digit code, sex 'male'/'female', denominator
    missing for rules whose denominator is the population.
    """
    with connect(engine) as backend:
        events = _prepared(backend.read_parquet(str(staged)))
        last = events.event_date.max().to_pyarrow().as_py()
        frames = [
            _long(need_counts(events).to_pandas(), list(_NEED_RULES)),
            _with_rule(
                preventive_assistance_counts(events).to_pandas(), "social_assistance:preventive"
            ),
            _with_rule(assessment_time_counts(events).to_pandas(), "assessment_within_3_months"),
            _complete_follow_up(
                _with_rule(returning_counts(events).to_pandas(), "returning_within_12_months"), last
            ),
        ]
    counts = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    return _normalised(counts)


def _long(wide: pd.DataFrame, rules: list[str]) -> pd.DataFrame:
    long = wide.melt(id_vars=CELL, value_vars=rules, var_name="rule", value_name="numerator")
    long["denominator"] = float("nan")
    return long


def _with_rule(frame: pd.DataFrame, rule: str) -> pd.DataFrame:
    out = frame.assign(rule=rule)
    if "denominator" not in out.columns:
        out["denominator"] = float("nan")
    return out


def _complete_follow_up(frame: pd.DataFrame, last: dt.date | None) -> pd.DataFrame:
    """Keep end years whose every 12-month follow-up ends within the extract.

    The indicator's year is the year after the end (the catalogue: relationships that ended in
    the previous year), when every follow-up is complete.
    """
    if last is None or frame.empty:
        return frame.iloc[0:0]
    complete = [y for y in frame["year"].unique() if dt.date(int(y) + 1, 12, 31) <= last]
    kept = frame[frame["year"].isin(complete)]
    return kept.assign(year=kept["year"].astype("int64") + 1)


def _normalised(counts: pd.DataFrame) -> pd.DataFrame:
    out = counts.loc[:, COUNT_COLUMNS].copy()
    out["municipality"] = out["municipality"].astype("int64").map("{:03d}".format)
    out["year"] = out["year"].astype("int64")
    out["sex"] = out["sex"].astype("int64").map(SEXES)
    out["age_group"] = out["age_group"].astype(str)
    out["numerator"] = out["numerator"].astype("float64")
    out["denominator"] = out["denominator"].astype("float64")
    out = out[(out["numerator"] > 0) | (out["denominator"] > 0)]
    return out.sort_values(["rule", *CELL]).reset_index(drop=True)
