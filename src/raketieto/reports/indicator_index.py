"""The indicator index: every catalogue indicator, searchable by name in any language."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator
from raketieto.cube.memory import FactIndex
from raketieto.regions.division import COUNTRY_CODE
from raketieto.text import fold

#: The source kinds in the order the filter offers them.
SOURCE_KINDS = ("sotkanet", "statfin", "kela", "ara", "tem", "population", "client_data")


@dataclass(frozen=True)
class IndexEntry:
    """One indicator as the index lists it, in one language."""

    indicator_id: str
    label: str
    definition: str
    unit: str
    source_kind: str
    organisation: str
    phenomena: list[tuple[str, str]]
    first_year: int | None
    last_year: int | None
    synthetic: bool


@dataclass(frozen=True)
class IndicatorIndex:
    """The index page's data: the entries that match, and what the filters offer."""

    query: str
    phenomenon_id: str | None
    source_kind: str | None
    entries: list[IndexEntry]
    total: int
    phenomena: list[tuple[str, str]]
    source_kinds: list[str]


def _matches(indicator: Indicator, words: list[str]) -> bool:
    """True when every word of the query is in the indicator's id, label or definition."""
    haystack = " ".join(
        fold(text)
        for text in (
            indicator.id.replace("-", " "),
            *(indicator.label.get(lang) for lang in ("fi", "sv", "en")),
            *(indicator.definition.get(lang) for lang in ("fi", "sv", "en")),
        )
    )
    return all(word in haystack for word in words)


def _years(index: FactIndex | None, indicator_id: str) -> tuple[int | None, int | None]:
    if index is None:
        return None, None
    years = [y for y, f in index.by_year(indicator_id, COUNTRY_CODE).items() if f.value is not None]
    return (min(years), max(years)) if years else (None, None)


def indicator_index(
    catalogue: Catalogue,
    index: FactIndex | None,
    *,
    query: str = "",
    phenomenon_id: str | None = None,
    source_kind: str | None = None,
    lang: str = "fi",
) -> IndicatorIndex:
    """The indicators matching the query (all words, any language) and the two filters."""
    words = fold(query).split()
    phenomena = sorted(catalogue.phenomena.values(), key=lambda p: p.order)
    names = {p.id: p.label.get(lang) for p in phenomena}
    kinds: set[str] = {i.source.kind for i in catalogue.indicators.values()}
    entries = []
    for indicator in catalogue.indicators.values():
        if phenomenon_id is not None and phenomenon_id not in indicator.phenomena():
            continue
        if source_kind is not None and indicator.source.kind != source_kind:
            continue
        if words and not _matches(indicator, words):
            continue
        first, last = _years(index, indicator.id)
        entries.append(
            IndexEntry(
                indicator_id=indicator.id,
                label=indicator.label.get(lang),
                definition=indicator.definition.get(lang),
                unit=indicator.unit.value,
                source_kind=indicator.source.kind,
                organisation=indicator.source.organisation_name(lang),
                phenomena=[(p, names[p]) for p in indicator.phenomena() if p in names],
                first_year=first,
                last_year=last,
                synthetic=indicator.synthetic_demo,
            )
        )
    entries.sort(key=lambda e: fold(e.label))
    return IndicatorIndex(
        query=query,
        phenomenon_id=phenomenon_id,
        source_kind=source_kind,
        entries=entries,
        total=len(catalogue.indicators),
        phenomena=[(p.id, p.label.get(lang)) for p in phenomena],
        source_kinds=[k for k in SOURCE_KINDS if k in kinds] + sorted(kinds - set(SOURCE_KINDS)),
    )


@dataclass(frozen=True)
class SourceSummary:
    """One kind of source: who publishes it, how many indicators and which years the cube holds."""

    source_kind: str
    organisations: list[str]
    indicators: int
    first_year: int | None
    last_year: int | None
    synthetic: bool


def source_summaries(
    catalogue: Catalogue, index: FactIndex | None, lang: str = "fi"
) -> list[SourceSummary]:
    """Per source kind: its organisations, its indicators and the years with data in the cube."""
    grouped: dict[str, list[Indicator]] = {}
    for indicator in catalogue.indicators.values():
        grouped.setdefault(indicator.source.kind, []).append(indicator)
    summaries = []
    for kind in sorted(grouped, key=lambda k: (*SOURCE_KINDS, k).index(k)):
        members = grouped[kind]
        spans = [_years(index, i.id) for i in members]
        firsts = [first for first, _ in spans if first is not None]
        lasts = [last for _, last in spans if last is not None]
        summaries.append(
            SourceSummary(
                source_kind=kind,
                organisations=sorted({i.source.organisation_name(lang) for i in members}),
                indicators=len(members),
                first_year=min(firsts) if firsts else None,
                last_year=max(lasts) if lasts else None,
                synthetic=any(i.synthetic_demo for i in members),
            )
        )
    return summaries
