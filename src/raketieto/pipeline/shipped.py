"""Readers for the public data files shipped in raketieto/data, each with its provenance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import pandas as pd

#: The division the historical Sotkanet extract uses (codes of 2013).
HISTORICAL_DIVISION = 2013
#: The division of Sotkanet 127 population 2000–2022 (Pertunmaa 588 still separate).
POPULATION_2000_2022_DIVISION = 2024
#: The division of the 2024 population by sex and age group.
POPULATION_2024_DIVISION = 2025


@dataclass(frozen=True)
class Provenance:
    """Where a shipped file's numbers come from."""

    source: str
    source_version: str
    retrieved_at: dt.datetime | None


HISTORICAL = Provenance(
    source="sotkanet",
    source_version="Sotkanet-poiminta 2013-09-08 (kuntajako 2013)",
    retrieved_at=dt.datetime(2013, 9, 8, tzinfo=dt.UTC),
)
POPULATION_2000_2022 = Provenance(
    source="sotkanet",
    source_version="Sotkanet 127 Väestö 31.12. (rOpenGov/geofi sotkadata_population, 18c8c7f)",
    retrieved_at=None,
)
POPULATION_2024 = Provenance(
    source="statfin",
    source_version="Tilastokeskus WFS vaestoalue:kunta_vaki2024, 31.12.2024",
    retrieved_at=dt.datetime(2025, 9, 25, tzinfo=dt.UTC),
)


def _read(folder: str, name: str) -> pd.DataFrame:
    path = resources.files("raketieto") / "data" / folder / name
    with path.open("rb") as handle:
        return pd.read_csv(handle, dtype={"municipality_code": str, "indicator_id": int})


def historical_values() -> pd.DataFrame:
    """Sotkanet municipal values 1990–2012: indicator_id, municipality_code, year, value."""
    frame = _read("indicators", "sotkanet_municipality_1990_2012_selected.csv")
    return frame[["indicator_id", "municipality_code", "year", "value"]]


def population_2000_2022() -> pd.DataFrame:
    """Population 31.12. by municipality 2000–2022 on the 2024 division."""
    return _read("population", "population_municipality_2000_2022_sotkanet127.csv")


def population_2024() -> pd.DataFrame:
    """Population 31.12.2024 by municipality, with sex and the three age groups."""
    return _read("population", "population_municipality_2024_sex_agegroups.csv")


def stamp(
    frame: pd.DataFrame,
    provenance: Provenance,
    note: str | pd.Series | None = None,
    *,
    derived: bool | pd.Series = False,
) -> pd.DataFrame:
    """The fact columns the builder needs, with provenance; real (not synthetic) data."""
    out = frame.copy()
    for column, default in (
        ("sex", "total"),
        ("age_group", "total"),
        ("numerator", float("nan")),
        ("denominator", float("nan")),
        ("value", float("nan")),
    ):
        if column not in out.columns:
            out[column] = default
    out["suppressed"] = False
    out["suppression_reason"] = None
    out["source"] = provenance.source
    out["source_version"] = provenance.source_version
    out["retrieved_at"] = (
        pd.Timestamp(provenance.retrieved_at) if provenance.retrieved_at else pd.NaT
    )
    out["synthetic"] = False
    out["note"] = note
    out["derived"] = derived
    return out
