"""The demo cube: real public data shipped with the package, re-mapped to the current division.

Population comes from Sotkanet 127 (1990–2022) and Statistics Finland (2024). The historical
Sotkanet values (1990–2012) are on the 2013 division; where an indicator's denominator is the
whole population, its numerator is derived from the published rate and the population, so that
merged municipalities and every higher level can be summed exactly. Rates with any other
denominator cannot be summed: they stay at municipality level, and a municipality that has
absorbed another since that year has no comparable value and is left out.
"""

from __future__ import annotations

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.cube.schema import FACT_COLUMNS, OPTIONAL_FACT_COLUMNS
from raketieto.pipeline import shipped
from raketieto.pipeline.shipped import stamp
from raketieto.regions import Division, Level
from raketieto.regions.remap import code_map, remap_frame

POPULATION = "population"
DERIVED_NOTE = "osoittaja johdettu julkaistusta osuudesta ja väestöstä"
POPULATION_SOTKANET_ID = 127
COLUMNS = [*FACT_COLUMNS, *OPTIONAL_FACT_COLUMNS]


def demo_facts(catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """Every fact the demo cube holds, mostly at municipality level, on division's regions.

    Where the recent files cover an indicator's year, they replace the historical extract for
    that year, so one year of one indicator comes from one source.
    """
    from raketieto.pipeline.recent_facts import recent_facts

    population = population_facts(division)
    recent = recent_facts(catalogue, division)
    historical = historical_facts(catalogue, division)
    covered = pd.MultiIndex.from_frame(recent[["indicator_id", "year"]].drop_duplicates())
    older = ~pd.MultiIndex.from_frame(historical[["indicator_id", "year"]]).isin(covered)
    frames = [population, recent, historical[older]]
    out = pd.concat(frames, ignore_index=True).loc[:, COLUMNS]
    out["derived"] = out["derived"].fillna(False).astype(bool)
    return out


def demo_cube_facts(catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """Everything `make demo` builds on: the shipped public data plus synthetic client data.

    The client-data facts are made by the project's own generator, disclosure-controlled like a
    real load, and marked synthetic; the public facts are real.
    """
    from raketieto.pipeline.clientdata_demo import synthetic_client_facts

    client = synthetic_client_facts(division, catalogue)
    client = client.loc[:, list(FACT_COLUMNS)].assign(derived=False)
    return pd.concat([demo_facts(catalogue, division), client], ignore_index=True)


def _valid_municipalities(division: Division) -> set[str]:
    return {r.short_code for r in division.at_level(Level.MUNICIPALITY)}


def _remap_counts(frame: pd.DataFrame, from_year: int, division: Division) -> pd.DataFrame:
    """Drop Åland, re-map 3-digit municipality rows and turn codes into canonical KU codes."""
    mainland = frame[~frame["municipality_code"].isin(division.aland_municipalities())]
    remapped = remap_frame(
        mainland,
        from_year,
        division.year,
        valid_codes=_valid_municipalities(division),
        code_column="municipality_code",
    )
    remapped["region_code"] = "KU" + remapped["municipality_code"]
    return remapped.drop(columns=["municipality_code"])


def population_by_year(division: Division) -> pd.DataFrame:
    """Population 31.12. by municipality and year on division: region_code, year, population."""
    historical = shipped.historical_values()
    early = historical[
        (historical["indicator_id"] == POPULATION_SOTKANET_ID) & (historical["year"] < 2000)
    ].rename(columns={"value": "numerator"})
    early = _remap_counts(
        early[["municipality_code", "year", "numerator"]].assign(denominator=float("nan")),
        shipped.HISTORICAL_DIVISION,
        division,
    )
    middle = shipped.population_2000_2022().rename(columns={"population": "numerator"})
    middle = _remap_counts(
        middle.assign(denominator=float("nan")), shipped.POPULATION_2000_2022_DIVISION, division
    )
    latest = shipped.population_2024().rename(columns={"population": "numerator"})
    latest = _remap_counts(
        latest[["municipality_code", "numerator"]].assign(year=2024, denominator=float("nan")),
        shipped.POPULATION_2024_DIVISION,
        division,
    )
    frame = pd.concat([early, middle, latest], ignore_index=True)
    return frame.rename(columns={"numerator": "population"})[["region_code", "year", "population"]]


def population_facts(division: Division) -> pd.DataFrame:
    """Population counts 1990–2024 by municipality, with sex and age groups for 2024."""
    frame = population_by_year(division).rename(columns={"population": "numerator"})
    frame["indicator_id"] = POPULATION
    frame["denominator"] = float("nan")
    early = stamp(frame[frame["year"] <= 2022], shipped.HISTORICAL)
    early.loc[early["year"] >= 2000, "source_version"] = shipped.POPULATION_2000_2022.source_version
    early.loc[early["year"] >= 2000, "retrieved_at"] = pd.NaT
    total_2024 = stamp(frame[frame["year"] == 2024], shipped.POPULATION_2024)
    return pd.concat([early, total_2024, _population_2024_breakdowns(division)], ignore_index=True)


def _population_2024_breakdowns(division: Division) -> pd.DataFrame:
    source = shipped.population_2024()
    parts = []
    for column, sex, age in (
        ("males", "male", "total"),
        ("females", "female", "total"),
        ("age_0_14", "total", "0-14"),
        ("age_15_64", "total", "15-64"),
        ("age_65_plus", "total", "65+"),
    ):
        part = source[["municipality_code", column]].rename(columns={column: "numerator"})
        part = _remap_counts(
            part.assign(denominator=float("nan")), shipped.POPULATION_2024_DIVISION, division
        )
        parts.append(part.assign(sex=sex, age_group=age, year=2024, indicator_id=POPULATION))
    return stamp(pd.concat(parts, ignore_index=True), shipped.POPULATION_2024)


def historical_facts(catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """The historical Sotkanet values of every catalogue indicator that has them."""
    values = shipped.historical_values()
    values = values[~values["municipality_code"].isin(division.aland_municipalities())]
    population = values[values["indicator_id"] == POPULATION_SOTKANET_ID][
        ["municipality_code", "year", "value"]
    ].rename(columns={"value": "population"})
    merges = code_map(shipped.HISTORICAL_DIVISION, division.year)
    frames = []
    for sotkanet_id, rows in values.groupby("indicator_id"):
        indicator = catalogue.by_sotkanet_id(int(str(sotkanet_id)))
        if indicator is None or indicator.id == POPULATION:
            continue
        rows = rows.drop(columns=["indicator_id"])
        if indicator.aggregable and indicator.derive_numerator_from == POPULATION:
            scale = indicator.unit.scale or 1
            joined = rows.merge(population, on=["municipality_code", "year"], how="inner")
            counts = pd.DataFrame(
                {
                    "municipality_code": joined["municipality_code"],
                    "year": joined["year"],
                    "numerator": joined["value"] * joined["population"] / scale,
                    "denominator": joined["population"].astype(float),
                }
            )
            out = stamp(
                _remap_counts(counts, shipped.HISTORICAL_DIVISION, division),
                shipped.HISTORICAL,
                DERIVED_NOTE,
                derived=True,
            )
        else:
            # A rate without its counts: only municipalities untouched by later mergers keep it.
            touched = set(merges) | set(merges.values())
            kept = rows[~rows["municipality_code"].isin(touched)]
            out = stamp(
                pd.DataFrame(
                    {
                        "region_code": "KU" + kept["municipality_code"],
                        "year": kept["year"],
                        "numerator": float("nan"),
                        "denominator": float("nan"),
                        "value": kept["value"].astype(float),
                    }
                ),
                shipped.HISTORICAL,
            )
        frames.append(out.assign(indicator_id=indicator.id))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
