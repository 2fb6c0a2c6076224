"""Facts from the recent public files: unemployment, low income, Sotkanet 2019, Diak, homelessness.

Counts are re-mapped to the cube's division and summed up the hierarchy by the cube builder.
A published rate is kept as the value; where its denominator is a population the cube holds
(or the labour force of the same year), the numerator is derived from it and the fact is marked
`derived`, so the builder widens its interval by the rate's rounding.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd

from raketieto.errors import DataError
from raketieto.pipeline import recent_files as files
from raketieto.pipeline.shipped import stamp
from raketieto.regions import Division, Level
from raketieto.regions.remap import remap_codes, remap_frame

UNEMPLOYED = "unemployed-pct-of-labour-force"
LATEST_MONTH = "unemployed-pct-latest-month"
LOW_INCOME = "low-income-rate-pct"
LATEST_MONTH_NOTE = "kuukauden {month} lopun tilanne (uusin kuukausi), ei vuosikeskiarvo"
ANNUAL_NOTE = "vuosikeskiarvo 12 kuukauden lopun lukumääristä (osoittaja ja nimittäjä)"
RATE_ONLY_NOTE = (
    "vuosikeskiarvo 12 kuukauden julkaistuista osuuksista; vuoden työvoimaa ei ole aineistossa, "
    "joten työttömien lukumäärää ei voi johtaa"
)
DERIVED_LABOUR_NOTE = (
    "osoittaja johdettu 12 kuukauden julkaistujen osuuksien keskiarvosta ja saman vuoden "
    "työvoimasta (TEM käyttää koko vuoden samaa työvoimalukua)"
)
DERIVED_CARRIED_LABOUR_NOTE = (
    "osoittaja johdettu 12 kuukauden julkaistujen osuuksien keskiarvosta ja edellisen vuoden "
    "työvoimasta {labour_year} (vuoden {year} työvoimaa ei ole aineistossa); alueiden summa on "
    "kuntien osuuksien tällä työvoimalla painotettu keskiarvo"
)
DERIVED_POPULATION_NOTE = "osoittaja johdettu julkaistusta arvosta ja väestöstä 31.12."

#: Sotkanet 2019 indicator -> catalogue indicator. 181 and 3099 are left out on purpose: the
#: same statistics come as exact counts from 12r5 and 127y (tests compare them).
SOTKANET_2019_INDICATORS: Mapping[int, str] = {
    3562: "long-term-unemployed-pct",
    5: "social-assistance-recipients-25-64-pct",
    1275: "long-term-social-assistance-18-24-pct",
    453: "social-assistance-eur-per-inhabitant",
    182: "economic-dependency-ratio",
    761: "demographic-dependency-ratio",
    3195: "tertiary-education-pct-20-plus",
    179: "families-with-children-pct",
    304: "divorces-25-64-per-1000-married",
    313: "full-national-pension-65-plus-pct",
    2320: "general-housing-allowance-pct-of-households",
    2343: "swedish-speaking-pct",
    3126: "gini-disposable-income",
}
SOTKANET_2019_CROSS_CHECK = (181, 3099)

#: Diak variable -> catalogue indicator (age-standardised indices: comparable between areas).
DIAK_INDICATORS: Mapping[str, str] = {
    "Perustoimeentulotuen saajien osuus väestöstä (%)": "basic-social-assistance-recipients-pct",
    "Työkyvyttömyyseläkkeen saajien osuus väestöstä (%)": "disability-pension-recipients-pct",
    "Mielenterveysindeksi, ikävakioitu": "mental-health-index",
    "Alkoholisairastavuusindeksi, ikävakioitu": "alcohol-morbidity-index",
}
#: The cube needs a year; the file has none. The year used is the extract's, and every fact
#: says so in its note in the source's own words.
DIAK_YEAR = 2024
DIAK_NOTE = (
    "lähde: 'uusin poikkileikkausaineisto', 'Data on poimittu kesäkuun 1. 2024'; tiedostossa "
    "ei ole tilastovuotta, vuosi 2024 on poimintavuosi"
)

#: Homelessness measure (as in the file) -> catalogue indicator.
HOMELESSNESS_INDICATORS: Mapping[str, str] = {
    "yksinelävät asunnottomat": "homeless-single-persons",
    "pitkäaikaisasunnottomat": "long-term-homeless",
    "asunnottomat perheet": "homeless-families",
    "asunnottomat perheet ja pariskunnat": "homeless-families",
    "yksinelävät asunnottomat / 1 000 asukasta": "homeless-single-persons-per-1000",
}


def _mainland(frame: pd.DataFrame, division: Division, column: str) -> pd.DataFrame:
    return frame[~frame[column].isin(division.aland_municipalities())]


def _to_division(frame: pd.DataFrame, from_year: int, division: Division) -> pd.DataFrame:
    """Sum 3-digit municipality rows (numerator, denominator) onto division as KU codes."""
    valid = {r.short_code for r in division.at_level(Level.MUNICIPALITY)}
    out = remap_frame(
        _mainland(frame, division, "municipality_code"),
        from_year,
        division.year,
        valid_codes=valid,
        code_column="municipality_code",
    )
    out["region_code"] = "KU" + out["municipality_code"]
    return out.drop(columns=["municipality_code"])


def _rates_on_division(frame: pd.DataFrame, from_year: int, division: Division) -> pd.DataFrame:
    """Rate rows of municipalities no merger has touched since from_year, as KU codes."""
    mainland = _mainland(frame, division, "municipality_code")
    mapped = remap_codes(mainland["municipality_code"].unique(), from_year, division.year)
    touched = {old for old, new in mapped.items() if old != new} | {
        new for old, new in mapped.items() if old != new
    }
    kept = mainland[~mainland["municipality_code"].isin(touched)].copy()
    kept["region_code"] = "KU" + kept["municipality_code"]
    return kept.drop(columns=["municipality_code"])


# --- unemployment -----------------------------------------------------------------------------


def unemployment_annual_counts() -> pd.DataFrame:
    """Complete years of 12r5: municipality_code, year, numerator, denominator (12-month means)."""
    monthly = files.unemployment_monthly()
    monthly = monthly[
        monthly["alue_code"].str.startswith("KU")
        & monthly["tiedot"].isin(["TYOTTOMATLOPUSSA", "TYOVOIMATK"])
    ].copy()
    monthly["year"] = monthly["month"].str[:4].astype(int)
    grouped = monthly.groupby(["alue_code", "year", "tiedot"])["value"]
    annual = pd.DataFrame({"mean": grouped.mean(), "months": grouped.count()}).reset_index()
    # A year counts only when all 12 month-end figures of both counts are published.
    annual = annual[annual["months"] == 12]
    wide = annual.pivot_table(index=["alue_code", "year"], columns="tiedot", values="mean")
    wide = wide.dropna().reset_index()
    return pd.DataFrame(
        {
            "municipality_code": wide["alue_code"].str[2:],
            "year": wide["year"].astype(int),
            "numerator": wide["TYOTTOMATLOPUSSA"].astype(float),
            "denominator": wide["TYOVOIMATK"].astype(float),
        }
    )


def labour_force_by_year() -> pd.DataFrame:
    """TEM's labour force of each year (one figure repeated monthly): municipality_code, year."""
    monthly = files.unemployment_monthly()
    rows = monthly[monthly["alue_code"].str.startswith("KU") & (monthly["tiedot"] == "TYOVOIMATK")]
    rows = rows.assign(year=rows["month"].str[:4].astype(int))
    spread = rows.groupby(["alue_code", "year"])["value"].agg(["min", "max"]).reset_index()
    # Only years in which the figure really is one number are usable as that year's labour force.
    same = spread[spread["min"] == spread["max"]]
    return pd.DataFrame(
        {
            "municipality_code": same["alue_code"].str[2:],
            "year": same["year"].astype(int),
            "labour_force": same["min"].astype(float),
        }
    )


def unemployment_annual_rates() -> pd.DataFrame:
    """Annual means of complete years of the TYOTOSUUS % series: municipality_code, year, value."""
    monthly = files.unemployment_rates_monthly()
    monthly = monthly[monthly["alue_code"].str.startswith("KU")].copy()
    monthly["year"] = monthly["month"].str[:4].astype(int)
    grouped = monthly.groupby(["alue_code", "year"])["value"]
    annual = pd.DataFrame({"value": grouped.mean(), "months": grouped.count()}).reset_index()
    annual = annual[annual["months"] == 12]
    return pd.DataFrame(
        {
            "municipality_code": annual["alue_code"].str[2:],
            "year": annual["year"].astype(int),
            "value": annual["value"].astype(float),
        }
    )


def unemployment_facts(division: Division) -> pd.DataFrame:
    """Exact annual counts where 12r5 has a complete year; later years from the % series."""
    counts = unemployment_annual_counts()
    exact = stamp(
        _to_division(counts, files.UNEMPLOYMENT_COUNTS_DIVISION, division),
        files.UNEMPLOYMENT_COUNTS,
        ANNUAL_NOTE,
    )
    rates = unemployment_annual_rates()
    rates = rates[rates["year"] > counts["year"].max()]
    labour = labour_force_by_year()
    labour = _to_division(
        labour.rename(columns={"labour_force": "denominator"}).assign(numerator=np.nan),
        files.UNEMPLOYMENT_COUNTS_DIVISION,
        division,
    ).drop(columns=["numerator"])
    rates = _rates_on_division(rates, files.UNEMPLOYMENT_RATES_DIVISION, division)
    joined = rates.merge(labour, on=["region_code", "year"], how="left")
    notes = joined["denominator"].notna().map({True: DERIVED_LABOUR_NOTE, False: RATE_ONLY_NOTE})
    # A year after the newest labour force (2024) is weighted by the year before's labour force,
    # so that counties and the country have the year too; the note says which year it is.
    carried = labour.assign(year=labour["year"] + 1).rename(columns={"denominator": "carried"})
    joined = joined.merge(carried, on=["region_code", "year"], how="left")
    use_carried = joined["denominator"].isna() & joined["carried"].notna()
    joined["denominator"] = joined["denominator"].where(~use_carried, joined["carried"])
    notes = notes.where(
        ~use_carried,
        joined["year"].map(lambda y: DERIVED_CARRIED_LABOUR_NOTE.format(labour_year=y - 1, year=y)),
    )
    joined = joined.drop(columns=["carried"])
    has_labour = joined["denominator"].notna()
    joined["numerator"] = joined["value"] * joined["denominator"] / 100
    later = stamp(joined, files.UNEMPLOYMENT_RATES, notes, derived=has_labour)
    return pd.concat([exact, later], ignore_index=True).assign(indicator_id=UNEMPLOYED)


def latest_month_facts(division: Division) -> pd.DataFrame:
    """The newest month of the % series as its own dated figure (year = the month's year)."""
    monthly = files.unemployment_rates_monthly()
    monthly = monthly[monthly["alue_code"].str.startswith("KU") & monthly["value"].notna()]
    month = str(monthly["month"].max())
    rows = monthly[monthly["month"] == month]
    frame = pd.DataFrame(
        {
            "municipality_code": rows["alue_code"].str[2:],
            "year": int(month[:4]),
            "value": rows["value"].astype(float),
        }
    )
    frame = _rates_on_division(frame, files.UNEMPLOYMENT_RATES_DIVISION, division)
    return stamp(frame, files.UNEMPLOYMENT_RATES, LATEST_MONTH_NOTE.format(month=month)).assign(
        indicator_id=LATEST_MONTH
    )


# --- low income -------------------------------------------------------------------------------

_NON_MUNICIPAL = re.compile(r"^(HVA\d\d|MK\d\d|SK\d{3}) ")


@functools.lru_cache(maxsize=1)
def _name_aliases() -> dict[str, str]:
    path = resources.files("raketieto") / "data" / "regions" / "municipality_name_aliases.csv"
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {r["name"]: r["municipality_code"] for r in rows}


@functools.lru_cache(maxsize=1)
def _names_2023() -> dict[str, str]:
    path = resources.files("raketieto") / "data" / "regions" / "regions_2023.csv"
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {r["municipality_name_fi"]: r["municipality_code"] for r in rows}


def area_code_127y(name: str) -> str | None:
    """A 127y area name -> its 3-digit municipality code (2023 division); None for other areas.

    'KOKO MAA' and the county, region and sub-region rows are not municipalities; any other
    name that is neither a 2023 municipality nor a listed alias raises DataError.
    """
    if name == "KOKO MAA" or _NON_MUNICIPAL.match(name):
        return None
    code = _names_2023().get(name) or _name_aliases().get(name)
    if code is None:
        raise DataError(
            f"Pienituloisuustiedoston alue '{name}' ei ole vuoden 2023 kunta eikä "
            "data/regions/municipality_name_aliases.csv -taulukossa; lisää se taulukkoon."
        )
    return code


def low_income_facts(division: Division) -> pd.DataFrame:
    """Low-income persons and the household population by municipality, 1995–2022."""
    data = files.low_income()
    codes = {name: area_code_127y(name) for name in data["area"].unique()}
    data = data.assign(municipality_code=data["area"].map(codes))
    data = data[data["municipality_code"].notna() & data["low_income"].notna()]
    counts = pd.DataFrame(
        {
            "municipality_code": data["municipality_code"].astype(str),
            "year": data["year"].astype(int),
            "numerator": data["low_income"].astype(float),
            "denominator": data["population"].astype(float),
        }
    )
    out = _to_division(counts, files.LOW_INCOME_DIVISION, division)
    return stamp(out, files.LOW_INCOME).assign(indicator_id=LOW_INCOME)
