"""The 2024 population by municipality, sex and age group: weights for synth, denominators."""

from __future__ import annotations

import pandas as pd

from raketieto.pipeline import shipped
from raketieto.regions import Division, Level
from raketieto.regions.remap import remap_frame

#: Age groups the population file has, as the cube names them, with their first and last age.
AGE_GROUPS: dict[str, tuple[int, int | None]] = {
    "0-14": (0, 14),
    "15-64": (15, 64),
    "65+": (65, None),
}
_AGE_COLUMNS = {"0-14": "age_0_14", "15-64": "age_15_64", "65+": "age_65_plus"}
COUNT_COLUMNS = ("population", "males", "females", "age_0_14", "age_15_64", "age_65_plus")


def population_2024(division: Division) -> pd.DataFrame:
    """Mainland municipalities on division: municipality (3 digits) and the COUNT_COLUMNS."""
    frame = shipped.population_2024()
    frame = frame[~frame["municipality_code"].isin(division.aland_municipalities())]
    frame = remap_frame(
        frame[["municipality_code", *COUNT_COLUMNS]],
        shipped.POPULATION_2024_DIVISION,
        division.year,
        valid_codes={r.short_code for r in division.at_level(Level.MUNICIPALITY)},
        code_column="municipality_code",
        sum_columns=COUNT_COLUMNS,
    )
    out = frame.rename(columns={"municipality_code": "municipality"})
    return out.sort_values("municipality").reset_index(drop=True)


def denominators(division: Division) -> pd.DataFrame:
    """Population by municipality × sex × age group where the file has it (long form).

    Columns municipality, sex ('total'|'male'|'female'), age_group ('total' or an AGE_GROUPS
    key), population. Sex × age group cells are not in the file and so not in the result.
    """
    frame = population_2024(division)
    parts = [
        frame.assign(sex="total", age_group="total", value=frame["population"]),
        frame.assign(sex="male", age_group="total", value=frame["males"]),
        frame.assign(sex="female", age_group="total", value=frame["females"]),
    ]
    parts += [
        frame.assign(sex="total", age_group=group, value=frame[column])
        for group, column in _AGE_COLUMNS.items()
    ]
    long = pd.concat(parts, ignore_index=True)
    return long[["municipality", "sex", "age_group", "value"]].rename(
        columns={"value": "population"}
    )
