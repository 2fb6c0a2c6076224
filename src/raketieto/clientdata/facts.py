"""From client-data counts to disclosure-controlled facts in the cube's fact format.

The counts of the finest cells (municipality × year × sex × age band) are summed into the sex
and age margins here and up the regional hierarchy by the cube's own aggregation
(raketieto.cube.aggregate.aggregate_up); disclosure.py then suppresses cells table by table, and
only what it lets through leaves this module. Intervals and comparisons are added by the cube
builder, as for every other source.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.clientdata import disclosure
from raketieto.clientdata.indicators import RULES
from raketieto.clientdata.population import denominators
from raketieto.cube.aggregate import aggregate_up
from raketieto.cube.schema import FACT_COLUMNS
from raketieto.errors import DataError
from raketieto.regions import Division

#: The source of facts computed from a real extract, and of the project's synthetic ones.
EXTRACT_SOURCE = "Sosiaalihuollon asiakastiedot (pseudonymisoitu poiminta)"
SYNTHETIC_SOURCE = "raketieto: synteettinen asiakasaineisto (ei todellisia henkilöitä)"
POPULATION_NOTE = "nimittäjänä vuoden 2024 väestö 31.12. (Tilastokeskus)"
SYNTHETIC_NOTE = "synteettinen esimerkkiaineisto, ei todellisia henkilöitä"

_KEY = ["indicator_id", "region_code", "year", "sex", "age_group"]
_BANDS = [a for a in disclosure.AGE_GROUPS if a != "total"]


def client_facts(
    counts: pd.DataFrame,
    *,
    division: Division,
    catalogue: Catalogue,
    synthetic: bool,
    source_version: str | None = None,
    retrieved_at: dt.datetime | None = None,
) -> pd.DataFrame:
    """Disclosure-controlled facts (FACT_COLUMNS) at every level for every rule in counts.

    counts has indicators.COUNT_COLUMNS (finest cells; cells missing from it are zero). Rules
    that no catalogue indicator computes are left out.
    """
    indicators = {
        rule: indicator
        for rule in sorted(set(counts["rule"]))
        if (indicator := catalogue.by_rule(rule)) is not None
    }
    if not indicators:
        raise DataError(
            "Yhtäkään laskettua asiakastietosääntöä ei vastaa luettelon indikaattori; "
            "odotettiin sääntöjä " + ", ".join(RULES) + "."
        )
    base = _municipality_cells(counts[counts["rule"].isin(indicators)], division)
    base["indicator_id"] = base["rule"].map({r: i.id for r, i in indicators.items()})
    base = _with_population(base, division)
    stamped = base.assign(
        value=float("nan"),
        suppressed=False,
        suppression_reason=None,
        source="",
        source_version=source_version,
        retrieved_at=pd.Timestamp(retrieved_at or dt.datetime.now(dt.UTC)),
        synthetic=synthetic,
        note=None,
    )
    every_level = aggregate_up(stamped.drop(columns=["rule"]), division)
    every_level["rule"] = every_level["indicator_id"].map({i.id: r for r, i in indicators.items()})
    published = _disclose(every_level, division)
    published["source"] = SYNTHETIC_SOURCE if synthetic else EXTRACT_SOURCE
    published["synthetic"] = synthetic
    by_population = (
        published["rule"].map(lambda r: RULES[r].denominator == "population").to_numpy(dtype=bool)
    )
    prefix = f"{SYNTHETIC_NOTE}; " if synthetic else ""
    notes: list[str | None] = [
        f"{prefix}{POPULATION_NOTE}" if per_inhabitant else (SYNTHETIC_NOTE if synthetic else None)
        for per_inhabitant in by_population
    ]
    published["note"] = notes
    out = published.loc[:, list(FACT_COLUMNS)].sort_values(_KEY).reset_index(drop=True)
    return out


def _municipality_cells(counts: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Every municipality × margin cell of disclosure.COMBOS for every rule and year."""
    table = disclosure.layout(division)
    municipalities = [c for c in table.regions if c.startswith("KU")]
    frames = []
    for (rule, year), rows in counts.groupby(["rule", "year"], sort=True):
        region = "KU" + rows["municipality"]
        unknown = sorted(set(region) - set(municipalities))
        if unknown:
            raise DataError(f"Kuntaa '{unknown[0]}' ei ole aluejaossa {division.year}.")
        finest = rows.assign(region_code=region)
        index = pd.MultiIndex.from_product(
            [municipalities, ["male", "female"], _BANDS], names=["region_code", "sex", "age_group"]
        )
        grid = (
            finest.groupby(["region_code", "sex", "age_group"])[["numerator", "denominator"]]
            .sum(min_count=1)
            .reindex(index)
        )
        grid["numerator"] = grid["numerator"].fillna(0.0)
        has_den = RULES[str(rule)].denominator == "count"
        grid["denominator"] = grid["denominator"].fillna(0.0) if has_den else np.nan
        cells = grid.reset_index()
        by_sex = cells.groupby(["region_code", "sex"], as_index=False)[
            ["numerator", "denominator"]
        ].sum(min_count=1)
        by_age = cells.groupby(["region_code", "age_group"], as_index=False)[
            ["numerator", "denominator"]
        ].sum(min_count=1)
        total = cells.groupby("region_code", as_index=False)[["numerator", "denominator"]].sum(
            min_count=1
        )
        parts = [
            by_sex.assign(age_group="total"),
            by_age.assign(sex="total"),
            total.assign(sex="total", age_group="total"),
        ]
        frames.append(
            pd.concat(parts, ignore_index=True).assign(rule=str(rule), year=int(str(year)))
        )
    return pd.concat(frames, ignore_index=True)


def _with_population(base: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Population denominators for the rules that count per inhabitant."""
    population = denominators(division)
    population["region_code"] = "KU" + population["municipality"]
    by_population = base["rule"].map(lambda r: RULES[r].denominator == "population")
    merged = base.merge(
        population[["region_code", "sex", "age_group", "population"]],
        on=["region_code", "sex", "age_group"],
        how="left",
    )
    merged["denominator"] = np.where(
        by_population.to_numpy(), merged["population"], merged["denominator"]
    )
    return merged.drop(columns=["population"])


def _disclose(table: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Suppress every (rule, year) table; suppressed counts leave as missing, with the reason."""
    cells = disclosure.layout(division)
    order = pd.MultiIndex.from_product(
        [list(cells.regions), [f"{s}|{a}" for s, a in disclosure.COMBOS]],
        names=["region_code", "combo"],
    )
    out = []
    for (_, _), rows in table.groupby(["indicator_id", "year"], sort=True):
        rule = RULES[str(rows["rule"].iloc[0])]
        keyed = rows.assign(combo=rows["sex"] + "|" + rows["age_group"])
        keyed = keyed.set_index(["region_code", "combo"]).reindex(order)
        if keyed["numerator"].isna().any():
            raise DataError(
                "Asiakastietotaulusta puuttuu soluja ennen peittämistä; "
                "jokaisella kunnalla pitää olla kaikki solut."
            )
        count_den = rule.denominator == "count"
        numerator = keyed["numerator"].to_numpy(dtype=float)
        denominator = keyed["denominator"].to_numpy(dtype=float) if count_den else None
        result = disclosure.suppress(numerator, denominator, cells)
        keyed["suppressed"] = result.suppressed
        keyed["suppression_reason"] = result.reasons()
        keyed.loc[result.suppressed, "numerator"] = np.nan
        if count_den:
            keyed.loc[result.suppressed, "denominator"] = np.nan
        keyed["value"] = np.nan
        out.append(keyed.reset_index().drop(columns=["combo"]))
    return pd.concat(out, ignore_index=True)
