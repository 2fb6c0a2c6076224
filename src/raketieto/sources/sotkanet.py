"""THL's Sotkanet indicator bank (REST API 1.1): metadata, regions and data rows as cube facts."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from raketieto.errors import DataError
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
from raketieto.sources.regions import outside_system, sotkanet_county_ids

if TYPE_CHECKING:
    from raketieto.catalogue.models import Indicator
    from raketieto.sources.cache import ResponseCache
    from raketieto.sources.http import HttpClient

BASE_URL = "https://sotkanet.fi/rest/1.1/"
LANGS = ("fi", "sv", "en")
SEXES = {"male": "male", "female": "female", "total": "total"}
#: Source kinds whose figures Sotkanet republishes (Kela, ARA and TEM statistics among them).
KINDS = frozenset({"sotkanet", "kela", "ara", "tem"})
ROW_FIELDS = ("indicator", "region", "year", "gender", "value")
REGION_FIELDS = ("id", "code", "category")

Texts = dict[str, str]


# --- indicator metadata -------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMetadata:
    """What Sotkanet says about one indicator, in Finnish, Swedish and English."""

    id: int
    title: Texts
    description: Texts
    interpretation: Texts
    limits: Texts
    source_organisation: Texts
    data_updated: dt.date | None
    primary_value_type: str | None
    primary_value_title: Texts
    decimals: int | None = None
    years: tuple[int, int] | None = None
    sexes: tuple[str, ...] = ()
    region_categories: tuple[str, ...] = field(default=())


def _texts(raw: Any) -> Texts:
    """A {fi, sv, en} map with every language present (missing ones empty)."""
    if not isinstance(raw, Mapping):
        return dict.fromkeys(LANGS, "")
    return {lang: str(raw.get(lang) or "").strip() for lang in LANGS}


def parse_indicator_metadata(raw: Any, *, url: str = "/indicators/{id}") -> IndicatorMetadata:
    """Read a /indicators/{id} object; a missing id or title raises SourceError."""
    if not isinstance(raw, Mapping):
        raise SourceError(
            f"Sotkanetin indikaattorikuvaus osoitteesta {url} ei ole JSON-objekti; "
            f"saatiin {type(raw).__name__}.",
            url=url,
        )
    for required in ("id", "title"):
        if required not in raw:
            raise SourceError(
                f"Sotkanetin indikaattorikuvauksesta ({url}) puuttuu kenttä '{required}'; "
                f"löytyi {sorted(raw)}. Rajapinnan muoto on voinut muuttua.",
                url=url,
            )
    updated = raw.get("data-updated")
    organisation = raw.get("organization")
    if not isinstance(organisation, Mapping):
        sources = raw.get("sources") or [{}]
        organisation = sources[0].get("organization") if isinstance(sources[0], Mapping) else None
    value_type = raw.get("primaryValueType") or {}
    year_range = raw.get("range") or {}
    classifications = raw.get("classifications") or {}
    try:
        indicator_id = int(raw["id"])
        data_updated = dt.date.fromisoformat(str(updated)) if updated else None
        years = (
            (int(year_range["start"]), int(year_range["end"]))
            if "start" in year_range and "end" in year_range
            else None
        )
    except (TypeError, ValueError) as error:
        raise SourceError(
            f"Sotkanetin indikaattorikuvauksessa ({url}) on virheellinen arvo: {error}.", url=url
        ) from None
    return IndicatorMetadata(
        id=indicator_id,
        title=_texts(raw["title"]),
        description=_texts(raw.get("description")),
        interpretation=_texts(raw.get("interpretation")),
        limits=_texts(raw.get("limits")),
        source_organisation=_texts(
            organisation.get("title") if isinstance(organisation, Mapping) else None
        ),
        data_updated=data_updated,
        primary_value_type=value_type.get("code") if isinstance(value_type, Mapping) else None,
        primary_value_title=_texts(
            value_type.get("title") if isinstance(value_type, Mapping) else None
        ),
        decimals=int(raw["decimals"]) if raw.get("decimals") is not None else None,
        years=years,
        sexes=tuple((classifications.get("sex") or {}).get("values") or ()),
        region_categories=tuple((classifications.get("region") or {}).get("values") or ()),
    )


def plain_text(markup: str) -> str:
    """Sotkanet's HTML fragments as plain paragraphs: breaks kept, tags and entities removed."""
    text = re.sub(r"<\s*br\s*/?\s*>", "\n", markup, flags=re.IGNORECASE)
    text = re.sub(r"<\s*/?\s*p\b[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _lang_text(texts: Texts) -> dict[str, str] | None:
    """A {fi, sv, en} in plain text, gaps filled from Finnish; None when Finnish is empty."""
    cleaned = {lang: plain_text(texts.get(lang, "")) for lang in LANGS}
    if not cleaned["fi"]:
        return None
    return {lang: cleaned[lang] or cleaned["fi"] for lang in LANGS}


def definition_fields(indicator: Mapping[str, Any], metadata: IndicatorMetadata) -> dict[str, Any]:
    """A copy of an indicator's YAML data with its definition fields filled from Sotkanet.

    Fills `definition` (description, then interpretation), `caveats` (limits), the source's
    organisation, and marks the Sotkanet id verified by this metadata. The YAML is not touched.
    """
    source = dict(indicator.get("source") or {})
    own_id = source.get("sotkanet_id")
    if own_id not in (None, metadata.id):
        raise DataError(
            f"Indikaattorin '{indicator.get('id')}' Sotkanet-tunnus on {own_id}, "
            f"mutta kuvaus on indikaattorista {metadata.id}; odotettiin samaa tunnusta."
        )
    updated = dict(indicator)
    merged = {
        lang: "\n\n".join(
            part
            for part in (
                plain_text(metadata.description[lang]),
                plain_text(metadata.interpretation[lang]),
            )
            if part
        )
        for lang in LANGS
    }
    definition = _lang_text(merged)
    if definition is not None:
        updated["definition"] = definition
    caveats = _lang_text(metadata.limits)
    if caveats is not None:
        updated["caveats"] = caveats
    if "label" not in updated:
        label = _lang_text(metadata.title)
        if label is not None:
            updated["label"] = label
    organisation = _lang_text(metadata.source_organisation)
    if organisation is not None:
        source["organisation"] = organisation
    when = metadata.data_updated.isoformat() if metadata.data_updated else "?"
    source["sotkanet_id"] = metadata.id
    source["verified"] = True
    source["verified_by"] = f"Sotkanet /rest/1.1/indicators/{metadata.id} (data-updated {when})"
    updated["source"] = source
    return updated


# --- regions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SotkanetRegion:
    """One entry of /regions: Sotkanet's own id, the statistical code and its category."""

    id: int
    title: Texts
    code: str
    category: str
    uri: str | None


def parse_regions(raw: Any, *, url: str = "/regions") -> list[SotkanetRegion]:
    """Read the /regions list; a missing field raises SourceError naming it."""
    if not isinstance(raw, list):
        raise SourceError(
            f"Sotkanetin aluelista ({url}) ei ole JSON-taulukko; saatiin {type(raw).__name__}.",
            url=url,
        )
    if not raw:
        raise SourceError(f"Sotkanetin aluelista ({url}) on tyhjä; odotettiin alueita.", url=url)
    regions = []
    for number, item in enumerate(raw, start=1):
        _require(item, REGION_FIELDS, f"aluelistan rivi {number}", url)
        try:
            regions.append(
                SotkanetRegion(
                    id=int(item["id"]),
                    title=_texts(item.get("title")),
                    code=str(item["code"]).strip(),
                    category=str(item["category"]).strip().upper(),
                    uri=item.get("uri"),
                )
            )
        except (TypeError, ValueError):
            raise SourceError(
                f"Sotkanetin aluelistan ({url}) rivillä {number} on virheellinen id "
                f"'{item.get('id')}'; odotettiin kokonaislukua.",
                url=url,
            ) from None
    return regions


class RegionMap:
    """Sotkanet region id -> canonical code, for the levels raketieto uses."""

    def __init__(
        self, regions: Iterable[SotkanetRegion], *, outside: frozenset[str] | None = None
    ) -> None:
        excluded = outside_system() if outside is None else outside
        county_by_id: dict[int, str] = {}
        self.legacy_ids: set[int] = set()
        for county in sotkanet_county_ids():
            county_by_id[county.sotkanet_id] = county.hva_code
            if county.sotkanet_id_old is not None:
                # Before THL renumbered the counties their codes were Sotkanet's own (1–22).
                county_by_id[county.sotkanet_id_old] = county.hva_code
                self.legacy_ids.add(county.sotkanet_id_old)
        self.codes: dict[int, str] = {}
        self.ignored: set[int] = set()
        for region in regions:
            code = _canonical(region, county_by_id)
            if code is None or code in excluded:
                self.ignored.add(region.id)
            else:
                self.codes[region.id] = code

    def __len__(self) -> int:
        return len(self.codes)


def _canonical(region: SotkanetRegion, county_by_id: Mapping[int, str]) -> str | None:
    digits = region.code.lstrip("0") or "0"
    if region.category == "MAA":
        return "SSS"
    if not region.code.isdigit():
        return None
    if region.category == "KUNTA":
        return f"KU{region.code.zfill(3)}"
    if region.category == "HYVINVOINTIALUE":
        return county_by_id.get(region.id, f"HVA{region.code.zfill(2)}")
    if region.category == "YTA":
        return f"YTA{digits}"
    return None


# --- data rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SotkanetRow:
    """One /json row: an indicator's value for a region, year and sex, with its count."""

    indicator: int
    region: int
    year: int
    gender: str
    value: float | None
    abs_value: float | None


def _require(item: Any, fields: Sequence[str], where: str, url: str) -> None:
    if not isinstance(item, Mapping):
        raise SourceError(
            f"Sotkanetin vastauksen ({url}) {where} ei ole JSON-objekti; saatiin {item!r:.60}.",
            url=url,
        )
    missing = [name for name in fields if name not in item]
    if missing:
        raise SourceError(
            f"Sotkanetin vastauksen ({url}) {where} puuttuu kenttä '{missing[0]}'; löytyi "
            f"{sorted(item)}. Rajapinnan muoto on voinut muuttua; odotettiin kenttiä "
            f"{', '.join(fields)}.",
            url=url,
        )


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def parse_data_rows(raw: Any, *, url: str = "/json") -> list[SotkanetRow]:
    """Read /json rows; a missing field or a non-number raises SourceError naming it."""
    if not isinstance(raw, list):
        raise SourceError(
            f"Sotkanetin datavastaus ({url}) ei ole JSON-taulukko; saatiin {type(raw).__name__}.",
            url=url,
        )
    rows = []
    for number, item in enumerate(raw, start=1):
        _require(item, ROW_FIELDS, f"rivi {number}", url)
        try:
            rows.append(
                SotkanetRow(
                    indicator=int(item["indicator"]),
                    region=int(item["region"]),
                    year=int(item["year"]),
                    gender=str(item["gender"]),
                    value=_number(item["value"]),
                    abs_value=_number(item.get("absValue")),
                )
            )
        except (TypeError, ValueError):
            raise SourceError(
                f"Sotkanetin vastauksen ({url}) rivillä {number} on arvo, joka ei ole luku: "
                f"{dict(item)}.",
                url=url,
            ) from None
    return rows


def rows_to_facts(
    rows: Sequence[SotkanetRow],
    *,
    indicator: Indicator,
    regions: RegionMap,
    source_version: str | None,
    retrieved_at: dt.datetime,
) -> tuple[list[dict[str, Any]], list[FetchProblem]]:
    """Sotkanet rows as fact rows; unknown regions and sexes become problems, not crashes."""
    facts: dict[tuple[str, int, str], dict[str, Any]] = {}
    from_legacy: set[tuple[str, int, str]] = set()
    problems: list[FetchProblem] = []
    unknown: dict[int, set[int]] = {}
    is_count = indicator.unit.value == "count"
    sotkanet_id = indicator.source.sotkanet_id
    for row in rows:
        if row.indicator != sotkanet_id:
            problems.append(
                FetchProblem(
                    indicator.id,
                    None,
                    row.year,
                    f"Sotkanet palautti indikaattorin {row.indicator} rivejä, "
                    f"odotettiin indikaattoria {sotkanet_id}",
                )
            )
            continue
        if row.region in regions.ignored:
            continue
        code = regions.codes.get(row.region)
        if code is None:
            unknown.setdefault(row.region, set()).add(row.year)
            continue
        sex = SEXES.get(row.gender)
        if sex is None:
            problems.append(
                FetchProblem(
                    indicator.id,
                    code,
                    row.year,
                    f"tuntematon sukupuoli '{row.gender}'; odotettiin male, female tai total",
                )
            )
            continue
        key = (code, row.year, sex)
        legacy = row.region in regions.legacy_ids
        if key in facts and (legacy or key not in from_legacy):
            # The same county under its old and new id: the new id wins.
            continue
        numerator = row.abs_value
        if numerator is None and is_count:
            numerator = row.value
        facts[key] = fact(
            indicator_id=indicator.id,
            region_code=code,
            year=row.year,
            sex=sex,
            value=row.value,
            numerator=numerator,
            suppressed=row.value is None,
            suppression_reason="lähde ei julkaise arvoa" if row.value is None else None,
            source="sotkanet",
            source_version=source_version,
            retrieved_at=retrieved_at,
        )
        if legacy:
            from_legacy.add(key)
        else:
            from_legacy.discard(key)
    for region_id, years in sorted(unknown.items()):
        shown = ", ".join(str(y) for y in sorted(years))
        problems.append(
            FetchProblem(
                indicator.id,
                f"sotkanet:{region_id}",
                min(years) if len(years) == 1 else None,
                f"Sotkanetin alue-id {region_id} puuttuu /regions-luettelosta, joten sen rivejä "
                f"(vuodet {shown}) ei voi kohdistaa alueeseen",
            )
        )
    return list(facts.values()), problems


# --- the source ------------------------------------------------------------------------------


class SotkanetSource(Source):
    """THL's Sotkanet: indicators by id, at municipality, county, area and country level."""

    name: ClassVar[str] = "sotkanet"
    # THL states no rate limit for Sotkanet; Settings.fetch_requests_per_second governs.
    min_interval: ClassVar[float] = 0.0

    def __init__(
        self,
        base_url: str = BASE_URL,
        *,
        years_per_request: int = 10,
        outside: frozenset[str] | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.years_per_request = years_per_request
        self.outside = outside

    def describe(self) -> SourceDescription:
        """THL's Sotkanet under CC BY 4.0."""
        return SourceDescription(
            name=self.name,
            organisation="Terveyden ja hyvinvoinnin laitos (THL)",
            licence="CC BY 4.0",
            attribution="Lähde: THL, Sotkanet.fi, CC BY 4.0",
            url="https://sotkanet.fi",
        )

    def offers(self, catalogue: CatalogueView) -> list[str]:
        """Indicators with a Sotkanet id whose figures Sotkanet publishes."""
        return [
            indicator.id
            for indicator in catalogue.indicators.values()
            if indicator.source.kind in KINDS and indicator.source.sotkanet_id is not None
        ]

    def regions(self, client: HttpClient, cache: ResponseCache | None) -> RegionMap:
        """Sotkanet's region list as a map to canonical codes."""
        url = self.base_url + "regions"
        fetched = client.get_json(url, cache=cache, expect="Sotkanetin aluelistaa (JSON-taulukkoa)")
        return RegionMap(parse_regions(fetched.data, url=url), outside=self.outside)

    def metadata(
        self, sotkanet_id: int, client: HttpClient, cache: ResponseCache | None
    ) -> IndicatorMetadata:
        """The metadata of one Sotkanet indicator."""
        url = f"{self.base_url}indicators/{sotkanet_id}"
        fetched = client.get_json(
            url, cache=cache, expect=f"Sotkanetin indikaattorin {sotkanet_id} kuvausta (JSON)"
        )
        metadata = parse_indicator_metadata(fetched.data, url=url)
        if metadata.id != sotkanet_id:
            raise SourceError(
                f"Osoite {url} kuvasi indikaattoria {metadata.id}; odotettiin {sotkanet_id}.",
                url=url,
            )
        return metadata

    def fetch(
        self,
        indicators: Sequence[Any],
        years: Sequence[int] | None,
        *,
        client: HttpClient,
        cache: ResponseCache | None,
        progress: Progress | None = None,
    ) -> FetchResult:
        """Fetch each indicator's rows for the years (None: every year Sotkanet has)."""
        try:
            regions = self.regions(client, cache)
        except SourceError as error:
            reason = f"Sotkanetin aluelistaa ei saatu: {error.message}"
            asked = tuple(sorted(set(years or ())))
            if progress is not None:
                progress(ProgressEvent(self.name, len(indicators), len(indicators), "keskeytyi"))
            return FetchResult(
                facts_frame([]),
                [FetchProblem(i.id, None, None, reason, asked) for i in indicators],
            )
        rows: list[dict[str, Any]] = []
        problems: list[FetchProblem] = []
        for done, indicator in enumerate(indicators):
            if progress is not None:
                progress(ProgressEvent(self.name, done, len(indicators), indicator.id))
            try:
                found, trouble = self._fetch_one(indicator, years, client, cache, regions)
            except SourceError as error:
                asked = tuple(sorted(set(years or ())))
                problems.append(FetchProblem(indicator.id, None, None, error.message, asked))
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
        regions: RegionMap,
    ) -> tuple[list[dict[str, Any]], list[FetchProblem]]:
        sotkanet_id = indicator.source.sotkanet_id
        if sotkanet_id is None:
            raise SourceError(f"Indikaattorilla '{indicator.id}' ei ole Sotkanet-tunnusta.")
        metadata = self.metadata(sotkanet_id, client, cache)
        if years is not None:
            wanted = sorted(set(years))
        elif metadata.years is not None:
            wanted = list(range(metadata.years[0], metadata.years[1] + 1))
        else:
            raise SourceError(
                f"Sotkanetin indikaattorille {sotkanet_id} ei ole vuosiväliä (range); "
                "anna vuodet valitsimella --years."
            )
        sexes = ["total"]
        if indicator.population.sex_breakdown and {"male", "female"} <= set(metadata.sexes):
            sexes += ["male", "female"]
        version = metadata.data_updated.isoformat() if metadata.data_updated else None
        facts: list[dict[str, Any]] = []
        problems: list[FetchProblem] = []
        url = self.base_url + "json"
        failed: set[int] = set()
        for chunk in batched(wanted, self.years_per_request):
            params = [("indicator", str(sotkanet_id))]
            params += [("years", str(year)) for year in chunk]
            params += [("genders", sex) for sex in sexes]
            shown = f"{url}?indicator={sotkanet_id}&years={chunk[0]}..{chunk[-1]}"
            try:
                fetched = client.get_json(
                    url,
                    params,
                    cache=cache,
                    expect=f"Sotkanetin indikaattorin {sotkanet_id} rivejä (JSON-taulukkoa)",
                )
                rows = parse_data_rows(fetched.data, url=shown)
            except SourceError as error:
                # One failed batch names its own years; the other batches still go ahead.
                failed.update(chunk)
                single = chunk[0] if len(chunk) == 1 else None
                batch = tuple(chunk) if single is None else ()
                problems.append(FetchProblem(indicator.id, None, single, error.message, batch))
                continue
            found, trouble = rows_to_facts(
                rows,
                indicator=indicator,
                regions=regions,
                source_version=f"Sotkanet {sotkanet_id}, päivitetty {version}"
                if version
                else f"Sotkanet {sotkanet_id}",
                retrieved_at=fetched.retrieved_at,
            )
            facts.extend(found)
            problems.extend(trouble)
        # A year asked for by name must arrive; a gap in "every year" is the source's own.
        arrived = {row["year"] for row in facts} | failed
        problems += [
            FetchProblem(
                indicator.id,
                None,
                year,
                f"Sotkanet ei palauttanut indikaattorille {sotkanet_id} yhtään riviä",
            )
            for year in (wanted if years is not None else [])
            if year not in arrived
        ]
        return facts, problems
