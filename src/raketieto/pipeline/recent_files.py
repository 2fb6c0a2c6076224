"""Readers for the recent public files in raketieto/data/recent, each with its provenance.

The files are kept as they were delivered (see data/SOURCES.md, section "Recent data"); these
readers only parse them. Turning them into facts is pipeline/recent.py's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
from importlib import resources
from typing import Any

import pandas as pd

from raketieto.errors import DataError
from raketieto.pipeline.shipped import Provenance

#: The division each file's municipality codes are on.
UNEMPLOYMENT_COUNTS_DIVISION = 2023
UNEMPLOYMENT_RATES_DIVISION = 2025
LOW_INCOME_DIVISION = 2023
SOTKANET_2019_DIVISION = 2025
DIAK_DIVISION = 2024

UNEMPLOYMENT_COUNTS = Provenance(
    source="statfin",
    source_version=(
        "Tilastokeskus StatFin 12r5 / TEM työnvälitystilasto 2006M01–2023M10 "
        "(pttry/kohtaantoindeksit ad33418)"
    ),
    retrieved_at=dt.datetime(2023, 12, 5, tzinfo=dt.UTC),
)
UNEMPLOYMENT_RATES = Provenance(
    source="statfin",
    source_version=(
        "Tilastokeskus StatFin 12r5 / TEM työnvälitystilasto TYOTOSUUS 2007M01–2025M01, "
        "poimittu 2025-03-19 (Kangasalakehitys/kuukausiraportti b5767a7)"
    ),
    retrieved_at=dt.datetime(2025, 3, 19, tzinfo=dt.UTC),
)
LOW_INCOME = Provenance(
    source="statfin",
    source_version=(
        "Tilastokeskus StatFin tjt 127y 1995–2022, poimittu 2024-02-02 "
        "(kmmsks/r_workflow_example bb6a10c)"
    ),
    retrieved_at=dt.datetime(2024, 2, 2, tzinfo=dt.UTC),
)
SOTKANET_2019 = Provenance(
    source="sotkanet",
    source_version="THL Sotkanet, vuosi 2019, 15 indikaattoria (OlliLeh/spatialcourseOL a090445)",
    retrieved_at=None,
)
DIAK = Provenance(
    source="diak",
    source_version=(
        "Diak Huono-osaisuus Suomessa -sovellus v2.1.0: uusin poikkileikkausaineisto, "
        "data poimittu 1.6.2024 (DiakGit/kartta c06b5ba)"
    ),
    retrieved_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
)
HOMELESSNESS = Provenance(
    source="ara",
    source_version="ARA/Varke asunnottomuusselvitys: luvut lainattu julkisilta sivuilta",
    retrieved_at=None,
)

_FOLDER = ("data", "recent")


def _text(folder: str, name: str) -> str:
    path = resources.files("raketieto").joinpath(*_FOLDER, folder, name)
    raw = path.read_bytes()
    return (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")


def _frame(folder: str, name: str, **options: Any) -> pd.DataFrame:
    frame: pd.DataFrame = pd.read_csv(io.StringIO(_text(folder, name)), **options)
    return frame


# The monthly files are read by two builders each; one read per process is enough. Callers
# filter (which copies) and never change the cached frame in place.
@functools.lru_cache(maxsize=1)
def unemployment_monthly() -> pd.DataFrame:
    """12r5 month-end counts: alue_code, month (YYYY-MM), tiedot, value (NaN = suppressed)."""
    frame = _frame(
        "unemployment",
        "statfin_tyonv_12r5_kunnat_2006-01_2023-10__pttry.csv.gz",
        dtype={"alue_code": str, "month": str, "tiedot": str},
    )
    return frame[["alue_code", "month", "tiedot", "value"]]


@functools.lru_cache(maxsize=1)
def unemployment_rates_monthly() -> pd.DataFrame:
    """12r5 TYOTOSUUS % by municipality and month; '...' (suppressed) becomes NaN."""
    frame = _frame(
        "unemployment",
        "statfin_tyonv_12r5_TYOTOSUUS_kunnat_2007-01_2025-01__kangasala.csv.gz",
        dtype=str,
        keep_default_na=False,
    )
    frame["value"] = pd.to_numeric(frame["value_raw"].where(frame["value_raw"] != "..."))
    return frame[["alue_code", "month", "value"]]


#: 127y column -> short name.
LOW_INCOME_COLUMNS = {
    "Alue": "area",
    "Vuosi": "year",
    "Asuntoväestö, henkilöä": "population",
    "Pienituloisten henkilöiden lukumäärä (raja 60 % mediaanista)": "low_income",
    "Asuntoväestön pienituloisuusaste (raja 60 % mediaanista)": "rate",
}


def low_income() -> pd.DataFrame:
    """127y by area name and year: area, year, population, low_income, rate."""
    frame = _frame(
        "low_income", "statfin_tjt_127y_pienituloisuus_kunnittain_1995-2022.csv.gz", dtype=str
    )
    absent = [c for c in LOW_INCOME_COLUMNS if c not in frame.columns]
    if absent:
        raise DataError(f"Pienituloisuustiedostosta puuttuu sarake '{absent[0]}'.")
    out = frame[list(LOW_INCOME_COLUMNS)].rename(columns=LOW_INCOME_COLUMNS)
    for column in ("year", "population", "low_income", "rate"):
        out[column] = pd.to_numeric(out[column])
    return out


def sotkanet_2019() -> pd.DataFrame:
    """Sotkanet 2019: sotkanet_id, municipality_code (3 digits), value, absolute (NaN if none)."""
    frame = _frame(
        "sotkanet",
        "sotkanet_2019_kunnat_15_indicators__olliLeh.csv.gz",
        dtype={"region.code": str},
    )
    return pd.DataFrame(
        {
            "sotkanet_id": frame["indicator"].astype(int),
            "municipality_code": frame["region.code"].str.zfill(3),
            "year": frame["year"].astype(int),
            "value": pd.to_numeric(frame["primary.value"], errors="coerce"),
            "absolute": pd.to_numeric(frame["absolute.value"], errors="coerce"),
        }
    )


def diak_cross_section() -> pd.DataFrame:
    """Diak HOS Kela and THL variables: level (hva/municipality), code, variable, value."""
    frame = _frame(
        "diak_hos", "diak_kartta_df_2024-06__kela_and_thl_indices_only.csv.gz", dtype=str
    )
    levels = {"Hyvinvointialueet": "hva", "Kunnat": "municipality"}
    unknown = sorted(set(frame["regio_level"]) - set(levels))
    if unknown:
        raise DataError(f"Diak-tiedostossa tuntematon aluetaso '{unknown[0]}'.")
    code = pd.to_numeric(frame["aluekoodi"]).astype(int)
    level = frame["regio_level"].map(levels)
    return pd.DataFrame(
        {
            "level": level,
            "code": code.map(lambda c: f"{c:02d}").where(level == "hva", code.map("{:03d}".format)),
            "variable": frame["variable"],
            "value": pd.to_numeric(frame["value"]),
        }
    )


@functools.lru_cache(maxsize=1)
def homelessness_rows() -> tuple[dict[str, str], ...]:
    """The homelessness reference rows as they are in the file (every column a string)."""
    text = _text("homelessness", "ara_homelessness_reference_values_from_public_pages.csv")
    return tuple(csv.DictReader(io.StringIO(text)))
