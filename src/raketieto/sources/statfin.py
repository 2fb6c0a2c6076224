"""Statistics Finland's StatFin database through the PxWeb API, answered in JSON-stat 2.0."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from raketieto.errors import NotFoundError
from raketieto.sources.base import (
    CatalogueView,
    FetchProblem,
    FetchResult,
    Progress,
    ProgressEvent,
    Source,
    SourceDescription,
    fact,
    facts_frame,
)
from raketieto.sources.http import SourceError, batched
from raketieto.sources.jsonstat import Dataset, parse_jsonstat
from raketieto.sources.regions import outside_system
from raketieto.text import fold

if TYPE_CHECKING:
    from raketieto.catalogue.models import Indicator
    from raketieto.sources.cache import ResponseCache
    from raketieto.sources.http import HttpClient

BASE_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/"
#: PxWeb's limit on cells per query is 120 000; stay below it.
MAX_CELLS = 100_000
TOTAL = "SSS"
SEX_CODES = {"SSS": "total", "1": "male", "2": "female"}
DEFAULT_POPULATION_TABLE = "11s5"

_AREA = re.compile(r"^(SSS|KU\d{3}|HVA\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_END = re.compile(r"^(\d{4})(M12|Q4)$")


@dataclass(frozen=True)
class TableSpec:
    """Where a StatFin table lives and which of its measures and categories an indicator takes."""

    id: str
    path: str
    content: str | None = None
    fixed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pick:
    """A category an indicator takes from a variable, both found by pattern (code or label).

    Patterns are regular expressions matched against accent-folded lower-case text, so that
    they survive the difference between the PxWeb API's variable codes and its labels.
    """

    variable: str
    category: str


#: Categories that tell apart indicators drawn from the same table (13u5: cause of death).
INDICATOR_PICKS: dict[str, tuple[Pick, ...]] = {
    "suicides-per-100000": (Pick("kuolemansyy|cause of death|dodsorsak", "itsemurh|suicide"),),
    "alcohol-related-deaths-per-100000": (
        Pick("kuolemansyy|cause of death|dodsorsak", "alkoholi|alcohol"),
    ),
}

#: Tables raketieto knows. Since 8 June 2026 StatFin names a table's file by its id alone
#: (`vaerak/11s5.px`, formerly `vaerak/statfin_vaerak_pxt_11s5.px`); see docs/sources.md.
TABLES: dict[str, TableSpec] = {
    "11s5": TableSpec("11s5", "vaerak/11s5.px", content="vaesto_kuukausi"),
    "11re": TableSpec("11re", "vaerak/11re.px"),
    "13u5": TableSpec("13u5", "ksyyt/13u5.px", content="ksyylkm"),
}


def area_code(code: str) -> str | None:
    """StatFin's area code as a canonical one (SSS, KU###, HVA##); None for other areas."""
    text = code.strip().upper()
    return text if _AREA.fullmatch(text) else None


def build_query(
    selections: Mapping[str, Sequence[str]], *, response_format: str = "json-stat2"
) -> dict[str, Any]:
    """The PxWeb POST body selecting the given items of each variable."""
    return {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": [str(v) for v in values]}}
            for code, values in selections.items()
        ],
        "response": {"format": response_format},
    }


# --- table metadata ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """One variable of a PxWeb table, as its metadata (GET on the table) lists it."""

    code: str
    text: str
    values: tuple[str, ...]
    texts: tuple[str, ...]
    time: bool = False
    elimination: bool = False


@dataclass(frozen=True)
class TableMetadata:
    """A PxWeb table's title and variables."""

    title: str
    variables: tuple[Variable, ...]


def parse_table_metadata(raw: Any, *, url: str = "PxWeb") -> TableMetadata:
    """Read PxWeb's table metadata ({title, variables:[{code, text, values, valueTexts}]})."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("variables"), list):
        found = sorted(raw) if isinstance(raw, Mapping) else type(raw).__name__
        raise SourceError(
            f"PxWeb-taulukon kuvaus ({url}) ei ole odotetun muotoinen; odotettiin objektia, "
            f"jossa on kenttä 'variables', saatiin {found}.",
            url=url,
        )
    variables = []
    for number, item in enumerate(raw["variables"], start=1):
        missing = [k for k in ("code", "values") if not isinstance(item, Mapping) or k not in item]
        if missing:
            raise SourceError(
                f"PxWeb-taulukon kuvauksen ({url}) muuttujalta {number} puuttuu kenttä "
                f"'{missing[0]}'; odotettiin kenttiä code, text, values, valueTexts.",
                url=url,
            )
        values = tuple(str(v) for v in item["values"])
        texts = tuple(str(t) for t in item.get("valueTexts") or values)
        variables.append(
            Variable(
                code=str(item["code"]),
                text=str(item.get("text", item["code"])),
                values=values,
                texts=texts,
                time=bool(item.get("time", False)),
                elimination=bool(item.get("elimination", False)),
            )
        )
    return TableMetadata(title=str(raw.get("title", "")), variables=tuple(variables))


def _role(variable: Variable) -> str:
    key = fold(variable.code)
    if variable.time or key in {"vuosi", "kuukausi", "neljannes", "year", "month", "quarter"}:
        return "time"
    if key in {"tiedot", "information", "uppgifter", "contentscode"}:
        return "content"
    if key in {"sukupuoli", "sex", "kon"}:
        return "sex"
    if key.startswith(("ika", "age", "alder")):
        return "age"
    if key in {"alue", "area", "omrade", "kunta", "hyvinvointialue"} or any(
        re.fullmatch(r"KU\d{3}|HVA\d{2}", v) for v in variable.values
    ):
        return "area"
    return "other"


def _year_of(value: str) -> int | None:
    match = _YEAR.fullmatch(value) or _YEAR_END.fullmatch(value)
    return int(match.group(1)) if match else None


def _single_age(value: str) -> int | None:
    match = re.fullmatch(r"(\d{1,3})-?", value)
    return int(match.group(1)) if match else None


def ages_in_band(band: str, offered: Sequence[str]) -> list[str]:
    """The single-year age codes a band such as '0-14' or '65+' sums; 'total' is SSS."""
    if band == "total":
        return [TOTAL]
    match = re.fullmatch(r"(\d+)(?:-(\d+)|\+)", band)
    if match is None:
        raise SourceError(f"Ikäryhmä '{band}' ei ole muotoa 'total', '0-14' tai '65+'.")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else math.inf
    picked = [v for v in offered if (age := _single_age(v)) is not None and low <= age <= high]
    if not picked:
        raise SourceError(f"Taulukossa ei ole yksivuotisikiä ikäryhmälle '{band}'.")
    return picked


@dataclass(frozen=True)
class QueryPlan:
    """What to ask a table for: the selections, which variable is which, and years it lacks."""

    selections: dict[str, list[str]]
    area: str
    time: str
    years: dict[str, int]
    sex: str | None
    age: str | None
    age_bands: dict[str, list[str]]
    missing_years: list[int]


def plan_query(
    metadata: TableMetadata,
    spec: TableSpec,
    years: Sequence[int] | None,
    *,
    sexes: Sequence[str] = ("total",),
    age_bands: Sequence[str] = ("total",),
    picks: Sequence[Pick] = (),
) -> QueryPlan:
    """Choose every variable's items: canonical areas, year-end periods, picks, totals elsewhere."""
    by_role: dict[str, list[Variable]] = {}
    for variable in metadata.variables:
        by_role.setdefault(_role(variable), []).append(variable)
    for needed in ("area", "time"):
        if len(by_role.get(needed, [])) != 1:
            found = ", ".join(v.code for v in metadata.variables)
            raise SourceError(
                f"StatFin-taulukosta {spec.id} ei löytynyt yksiselitteistä "
                f"{'alue' if needed == 'area' else 'aika'}muuttujaa (muuttujat: {found})."
            )
    area, time = by_role["area"][0], by_role["time"][0]
    selections: dict[str, list[str]] = {
        area.code: [v for v in area.values if area_code(v) is not None]
    }
    offered = {year: value for value in time.values if (year := _year_of(value)) is not None}
    wanted = sorted(offered) if years is None else sorted(set(years))
    selections[time.code] = [offered[y] for y in wanted if y in offered]
    plan_years = {offered[y]: y for y in wanted if y in offered}
    missing = [y for y in wanted if y not in offered]

    sex = by_role.get("sex", [None])[0]
    if sex is not None:
        codes = {label: code for code, label in SEX_CODES.items()}
        selections[sex.code] = [codes[s] for s in sexes if codes[s] in sex.values]
    age = by_role.get("age", [None])[0]
    bands: dict[str, list[str]] = {}
    if age is not None:
        for band in age_bands:
            bands[band] = ages_in_band(band, age.values)
        selections[age.code] = sorted({code for codes in bands.values() for code in codes})
    picked = {variable.code: code for variable, code in (_pick(metadata, spec, p) for p in picks)}
    for variable in by_role.get("content", []) + by_role.get("other", []):
        choice = picked.get(variable.code) or _fixed_choice(variable, spec)
        if choice is not None:
            selections[variable.code] = [choice]
    return QueryPlan(
        selections, area.code, time.code, plan_years,
        sex.code if sex else None, age.code if age else None, bands, missing,
    )  # fmt: skip


def _matches(pattern: str, *texts: str) -> bool:
    return any(re.search(pattern, fold(text)) for text in texts)


def _pick(metadata: TableMetadata, spec: TableSpec, pick: Pick) -> tuple[Variable, str]:
    """The one variable and the one category a pick names; none or several is an error."""
    variables = [v for v in metadata.variables if _matches(pick.variable, v.code, v.text)]
    if len(variables) != 1:
        found = ", ".join(v.code for v in metadata.variables)
        raise SourceError(
            f"StatFin-taulukossa {spec.id} on {len(variables)} muuttujaa hakuehdolla "
            f"'{pick.variable}'; odotettiin yhtä (muuttujat: {found})."
        )
    variable = variables[0]
    codes = [
        code
        for code, text in zip(variable.values, variable.texts, strict=False)
        if _matches(pick.category, code, text)
    ]
    if len(codes) != 1:
        shown = "; ".join(f"{c} {t}" for c, t in zip(variable.values, variable.texts, strict=False))
        raise SourceError(
            f"StatFin-taulukon {spec.id} muuttujassa '{variable.code}' on {len(codes)} luokkaa "
            f"hakuehdolla '{pick.category}'; odotettiin yhtä (luokat: {shown[:300]})."
        )
    return variable, codes[0]


def _fixed_choice(variable: Variable, spec: TableSpec) -> str | None:
    fixed = {k.lower(): v for k, v in spec.fixed.items()}
    if variable.code.lower() in fixed:
        choice = fixed[variable.code.lower()]
    elif _role(variable) == "content" and spec.content is not None:
        choice = spec.content
    elif len(variable.values) == 1:
        choice = variable.values[0]
    elif TOTAL in variable.values:
        choice = TOTAL
    elif variable.elimination:
        return None
    else:
        raise SourceError(
            f"StatFin-taulukon {spec.id} muuttujalle '{variable.code}' ei ole valintaa; "
            f"vaihtoehdot: {', '.join(variable.values[:10])}."
        )
    if choice not in variable.values:
        # Since June 2026 StatFin may prefix the codes of the measure variable; accept the one
        # code that ends with the chosen one.
        prefixed = [v for v in variable.values if v.endswith(choice)]
        if len(prefixed) == 1:
            return prefixed[0]
        raise NotFoundError(
            f"taulukon {spec.id} muuttujan {variable.code} arvo", choice, variable.values
        )
    return choice


def cells_of(plan: QueryPlan, years: Sequence[str]) -> int:
    """How many cells a query for these time values would return."""
    count = len(years)
    for code, items in plan.selections.items():
        if code != plan.time:
            count *= max(1, len(items))
    return count


def tidy(dataset: Dataset, plan: QueryPlan) -> pd.DataFrame:
    """A dataset as rows of region_code, year, sex, age_group, value, status (bands summed)."""
    frame = dataset.to_frame()
    area_id = dataset.dimension(plan.area).id
    time_id = dataset.dimension(plan.time).id
    frame["region_code"] = frame[area_id].map(area_code)
    frame = frame[frame["region_code"].notna() & ~frame["region_code"].isin(outside_system())]
    frame["year"] = frame[time_id].map(plan.years)
    frame = frame[frame["year"].notna()]
    frame["sex"] = frame[dataset.dimension(plan.sex).id].map(SEX_CODES) if plan.sex else "total"
    keys = ["region_code", "year", "sex"]
    if plan.age is None:
        out = frame.assign(age_group="total")[[*keys, "age_group", "value", "status"]]
    else:
        age_id = dataset.dimension(plan.age).id
        parts = []
        for band, codes in plan.age_bands.items():
            grouped = frame[frame[age_id].isin(codes)].groupby(keys)
            summed = grouped["value"].sum(min_count=1)
            # A band with any cell missing has no sum; a partial sum would look complete.
            summed[grouped["value"].count() < len(codes)] = float("nan")
            band_rows = pd.DataFrame({"value": summed, "status": grouped["status"].first()})
            parts.append(band_rows.reset_index().assign(age_group=band))
        out = pd.concat(parts, ignore_index=True)[[*keys, "age_group", "value", "status"]]
    out = out.astype({"year": "int64"})
    return out.reset_index(drop=True)


# --- the source ----------------------------------------------------------------------------------


class StatFinSource(Source):
    """Statistics Finland's StatFin tables by table id; population 11s5 by default."""

    name: ClassVar[str] = "statfin"
    # StatFin limits calls per time window (its /api/v1/fi/?config says how many); half a
    # second between queries stays well inside any limit it has published.
    min_interval: ClassVar[float] = 0.5

    def __init__(
        self,
        base_url: str = BASE_URL,
        *,
        tables: Mapping[str, TableSpec] | None = None,
        picks: Mapping[str, Sequence[Pick]] | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.tables = dict(TABLES if tables is None else tables)
        self.picks = dict(INDICATOR_PICKS if picks is None else picks)

    def describe(self) -> SourceDescription:
        """Statistics Finland's StatFin under CC BY 4.0."""
        return SourceDescription(
            name=self.name,
            organisation="Tilastokeskus (Statistics Finland)",
            licence="CC BY 4.0",
            attribution="Lähde: Tilastokeskus, StatFin, CC BY 4.0",
            url="https://stat.fi/tup/statfin",
        )

    def offers(self, catalogue: CatalogueView) -> list[str]:
        """Indicators whose source is a StatFin table, the population (11s5) among them."""
        return [
            indicator.id
            for indicator in catalogue.indicators.values()
            if indicator.source.kind in ("statfin", "population")
            and indicator.source.statfin_table is not None
        ]

    def table(self, table_id: str) -> TableSpec:
        """The spec of a known table."""
        try:
            return self.tables[table_id]
        except KeyError:
            raise NotFoundError(
                "StatFin-taulukko", table_id, self.tables,
                hint="lisää se taulukkoluetteloon sources/statfin.py: TABLES",
            ) from None  # fmt: skip

    def metadata(
        self, spec: TableSpec, client: HttpClient, cache: ResponseCache | None
    ) -> TableMetadata:
        """A table's variables and their values."""
        url = self.base_url + spec.path
        fetched = client.get_json(url, cache=cache, expect=f"StatFin-taulukon {spec.id} kuvausta")
        return parse_table_metadata(fetched.data, url=url)

    def query(
        self,
        spec: TableSpec,
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        sexes: Sequence[str] = ("total",),
        age_bands: Sequence[str] = ("total",),
        picks: Sequence[Pick] = (),
    ) -> tuple[pd.DataFrame, list[int], str | None, Any]:
        """Rows of a table for canonical areas and years, batched below the cell limit.

        Returns the tidy rows, the years the table lacks, the table's update time, and the
        retrieval time of the newest answer.
        """
        metadata = self.metadata(spec, client, cache)
        plan = plan_query(metadata, spec, years, sexes=sexes, age_bands=age_bands, picks=picks)
        if plan.age is None and any(band != "total" for band in age_bands):
            raise SourceError(
                f"StatFin-taulukossa {spec.id} ei ole ikämuuttujaa, joten ikäryhmää "
                f"{', '.join(b for b in age_bands if b != 'total')} ei voi muodostaa."
            )
        time_values = plan.selections[plan.time]
        per_year = max(1, cells_of(plan, time_values[:1]) if time_values else 1)
        size = max(1, MAX_CELLS // per_year)
        url = self.base_url + spec.path
        frames, updated, retrieved = [], None, None
        for chunk in batched(time_values, size):
            body = build_query({**plan.selections, plan.time: chunk})
            fetched = client.post_json(
                url,
                body,
                cache=cache,
                expect=f"StatFin-taulukon {spec.id} JSON-stat 2.0 -vastausta",
            )
            dataset = parse_jsonstat(fetched.data, url=url)
            frames.append(tidy(dataset, plan))
            updated = dataset.updated or updated
            retrieved = (
                fetched.retrieved_at if retrieved is None else max(retrieved, fetched.retrieved_at)
            )
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        return rows, plan.missing_years, updated, retrieved

    def population(
        self,
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        table: str = DEFAULT_POPULATION_TABLE,
        sexes: Sequence[str] = ("total",),
        age_bands: Sequence[str] = ("total",),
    ) -> pd.DataFrame:
        """Population by area and year (with sex and age where the table has them)."""
        rows, _, _, _ = self.query(
            self.table(table), years, client=client, cache=cache, sexes=sexes, age_bands=age_bands
        )
        return rows.rename(columns={"value": "population"})

    def fetch(
        self,
        indicators: Sequence[Any],
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        progress: Progress | None = None,
    ) -> FetchResult:
        """Fetch each indicator from its table; a failing table becomes that indicator's problem."""
        rows: list[dict[str, Any]] = []
        problems: list[FetchProblem] = []
        for done, indicator in enumerate(indicators):
            if progress is not None:
                progress(ProgressEvent(self.name, done, len(indicators), indicator.id))
            try:
                found, trouble = self._fetch_one(indicator, years, client, cache)
            except (SourceError, NotFoundError) as error:
                asked = tuple(sorted(set(years or ())))
                problems.append(FetchProblem(indicator.id, None, None, error.full_message(), asked))
                continue
            rows.extend(found)
            problems.extend(trouble)
        if progress is not None:
            progress(ProgressEvent(self.name, len(indicators), len(indicators), "valmis"))
        return FetchResult(facts_frame(rows), problems)

    def _fetch_one(
        self,
        indicator: Indicator,
        years: Sequence[int] | None,
        client: HttpClient,
        cache: ResponseCache | None,
    ) -> tuple[list[dict[str, Any]], list[FetchProblem]]:
        spec = self.table(indicator.source.statfin_table or DEFAULT_POPULATION_TABLE)
        sexes = ["total", "male", "female"] if indicator.population.sex_breakdown else ["total"]
        band = indicator.population.age_band
        tidy_rows, missing, updated, retrieved = self.query(
            spec,
            years,
            client=client,
            cache=cache,
            sexes=sexes,
            age_bands=[band],
            picks=self.picks.get(indicator.id, ()),
        )
        problems = [
            FetchProblem(indicator.id, None, year, f"StatFin-taulukossa {spec.id} ei ole vuotta")
            for year in missing
        ]
        arrived = set() if tidy_rows.empty else {int(y) for y in tidy_rows["year"]}
        problems += [
            FetchProblem(
                indicator.id, None, year, f"StatFin-taulukko {spec.id} ei palauttanut rivejä"
            )
            for year in sorted(set(years or ()) - arrived - set(missing))
        ]
        if tidy_rows.empty:
            return [], problems
        # A table holds counts; whether a count is the value or a numerator is the catalogue's call.
        is_count = indicator.unit.value == "count"
        counts_are_numerators = is_count or indicator.denominator_from is not None
        version = f"StatFin {spec.id}, päivitetty {updated}" if updated else f"StatFin {spec.id}"
        facts = []
        records = tidy_rows.to_dict("records")
        for row in records:
            number = None if pd.isna(row["value"]) else float(row["value"])
            facts.append(
                fact(
                    indicator_id=indicator.id,
                    region_code=str(row["region_code"]),
                    year=int(row["year"]),
                    sex=str(row["sex"]),
                    value=number if is_count or not counts_are_numerators else None,
                    numerator=number if counts_are_numerators else None,
                    suppressed=number is None,
                    suppression_reason=f"StatFin: {row['status']}" if number is None else None,
                    source=self.name,
                    source_version=version,
                    retrieved_at=retrieved,
                )
            )
        return facts, problems
