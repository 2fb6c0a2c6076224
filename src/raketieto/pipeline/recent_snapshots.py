"""Facts from the one-year snapshots: Sotkanet 2019, the Diak cross-section and homelessness."""

from __future__ import annotations

import numpy as np
import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.errors import DataError
from raketieto.pipeline import recent_files as files
from raketieto.pipeline.recent import (
    DERIVED_POPULATION_NOTE,
    DIAK_INDICATORS,
    DIAK_NOTE,
    DIAK_YEAR,
    HOMELESSNESS_INDICATORS,
    SOTKANET_2019_INDICATORS,
    _rates_on_division,
)
from raketieto.pipeline.shipped import stamp
from raketieto.regions import Division
from raketieto.regions.division import COUNTRY_CODE

POPULATION = "population"


def sotkanet_2019_facts(
    catalogue: Catalogue, division: Division, population: pd.DataFrame
) -> pd.DataFrame:
    """Sotkanet 2019 values; absolute values as numerators, else derived from the population.

    population: region_code, year, population on division (the cube's own population facts).
    """
    data = files.sotkanet_2019()
    frames = []
    for sotkanet_id, indicator_id in SOTKANET_2019_INDICATORS.items():
        indicator = catalogue.indicator(indicator_id)
        rows = data[data["sotkanet_id"] == sotkanet_id]
        if indicator.aggregable and POPULATION in (
            indicator.derive_numerator_from,
            indicator.denominator_from,
        ):
            frames.append(_with_population(rows, indicator.unit.scale or 1, division, population))
        else:
            # A rate with another denominator: the value stands where no merger touched the area;
            # the absolute value (when given) is kept as the numerator.
            kept = _rates_on_division(
                rows[["municipality_code", "year", "value", "absolute"]],
                files.SOTKANET_2019_DIVISION,
                division,
            ).rename(columns={"absolute": "numerator"})
            frames.append(stamp(kept, files.SOTKANET_2019))
        frames[-1] = frames[-1].assign(indicator_id=indicator_id)
    return pd.concat(frames, ignore_index=True)


def _with_population(
    rows: pd.DataFrame, scale: int, division: Division, population: pd.DataFrame
) -> pd.DataFrame:
    """Counts on division: the absolute value, or value × population / scale (marked derived)."""
    kept = _rates_on_division(rows, files.SOTKANET_2019_DIVISION, division)
    joined = kept.merge(population, on=["region_code", "year"], how="inner")
    given = joined["absolute"].notna()
    derived = joined["value"] * joined["population"] / scale
    out = pd.DataFrame(
        {
            "region_code": joined["region_code"],
            "year": joined["year"],
            "numerator": np.where(given, joined["absolute"], derived),
            "denominator": joined["population"].astype(float),
            "value": joined["value"],
        }
    )
    note = pd.Series(DERIVED_POPULATION_NOTE, index=out.index).where(~given, None)
    return stamp(out, files.SOTKANET_2019, note, derived=~given)


def diak_facts(division: Division) -> pd.DataFrame:
    """The Diak cross-section's Kela and THL values by county and municipality, as published."""
    data = files.diak_cross_section()
    data = data[data["variable"].isin(list(DIAK_INDICATORS))]
    counties = data[data["level"] == "hva"]
    county_rows = pd.DataFrame(
        {
            "region_code": "HVA" + counties["code"],
            "year": DIAK_YEAR,
            "value": counties["value"],
            "indicator_id": counties["variable"].map(DIAK_INDICATORS),
        }
    )
    municipalities = data[data["level"] == "municipality"]
    municipal_rows = _rates_on_division(
        pd.DataFrame(
            {
                "municipality_code": municipalities["code"],
                "year": DIAK_YEAR,
                "value": municipalities["value"],
                "indicator_id": municipalities["variable"].map(DIAK_INDICATORS),
            }
        ),
        files.DIAK_DIVISION,
        division,
    )
    frame = pd.concat([county_rows, municipal_rows], ignore_index=True)
    unknown = sorted(set(frame["region_code"]) - set(division.regions))
    if unknown:
        raise DataError(f"Diak-tiedoston aluekoodi '{unknown[0]}' ei ole aluejaossa.")
    return stamp(frame, files.DIAK, DIAK_NOTE)


def homelessness_facts(division: Division) -> pd.DataFrame:
    """ARA/Varke figures quoted on public pages: national counts, city counts and rates.

    Only rows the page reports as such are used; approximate figures ('lähes', 'yli') are left
    out. A national figure the file computes from a quoted difference is kept and marked
    derived; such city figures are left out.
    """
    records = []
    for row in files.homelessness_rows():
        indicator_id = HOMELESSNESS_INDICATORS.get(row["measure"])
        if indicator_id is None:
            continue
        kind = row["value_type"]
        national = row["area"] == "Koko maa"
        derived = kind.startswith("derived")
        if kind != "reported" and not (derived and national):
            continue
        region = COUNTRY_CODE if national else division.lookup(row["area"]).code
        is_rate = indicator_id.endswith("-per-1000")
        value = float(row["value"])
        records.append(
            {
                "indicator_id": indicator_id,
                "region_code": region,
                "year": int(row["year"]),
                "numerator": np.nan if is_rate else value,
                "value": value,
                "derived": derived,
                "note": _quote_note(row),
            }
        )
    frame = pd.DataFrame.from_records(records)
    out = stamp(frame.drop(columns=["derived", "note"]), files.HOMELESSNESS, frame["note"])
    out["derived"] = frame["derived"].to_numpy(dtype=bool)
    return out


def _quote_note(row: dict[str, str]) -> str:
    """The quote and the page it is from, so every figure can be checked where it was said."""
    extra = f" ({row['value_type']})" if row["value_type"] != "reported" else ""
    return f"ARA/Varke, lainaus: \u201c{row['quote_fi']}\u201d{extra} — {row['source_url']}"
