"""The indicator definition page: what an indicator is, where it comes from, and who uses it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from raketieto.catalogue import Catalogue
from raketieto.cube.query import CubeReader


@dataclass(frozen=True)
class ProvenanceEntry:
    """One source version of the indicator's facts in the cube."""

    source: str
    source_version: str | None
    retrieved_at: dt.datetime | None
    first_year: int
    last_year: int
    facts: int
    synthetic_facts: int
    suppressed_facts: int


@dataclass(frozen=True)
class PhenomenonUse:
    """A phenomenon that uses the indicator, under which themes, and whether as a headline."""

    phenomenon_id: str
    label: str
    themes: list[tuple[str, str]]
    headline: bool


@dataclass(frozen=True)
class IndicatorDefinition:
    """Everything the definition page shows, in one language."""

    indicator_id: str
    label: str
    definition: str
    numerator: str
    denominator: str | None
    unit: str
    unit_symbol: str
    polarity: str
    decimals: int
    age_band: str
    sex_breakdown: bool
    levels: list[str]
    aggregable: bool
    source_kind: str
    organisation: str
    licence: str
    attribution: str
    url: str | None
    sotkanet_id: int | None
    statfin_table: str | None
    rule: str | None
    verified: bool
    verified_by: str | None
    caveats: str | None
    synthetic_demo: bool
    phenomena: list[PhenomenonUse]
    provenance: list[ProvenanceEntry]
    levels_with_data: list[str]
    built_at: str


def indicator_definition(
    reader: CubeReader, catalogue: Catalogue, indicator_id: str, *, lang: str = "fi"
) -> IndicatorDefinition:
    """The definition of indicator_id with its provenance from the cube."""
    indicator = catalogue.indicator(indicator_id)
    uses = []
    for phenomenon in catalogue.phenomena.values():
        themes = indicator.themes_in(phenomenon.id)
        if themes:
            uses.append(
                PhenomenonUse(
                    phenomenon.id,
                    phenomenon.label.get(lang),
                    [(t, catalogue.theme(t).label.get(lang)) for t in themes],
                    indicator.id in phenomenon.headline_indicators,
                )
            )
    source = indicator.source
    return IndicatorDefinition(
        indicator_id=indicator.id,
        label=indicator.label.get(lang),
        definition=indicator.definition.get(lang),
        numerator=indicator.numerator.get(lang),
        denominator=indicator.denominator.get(lang) if indicator.denominator else None,
        unit=indicator.unit.value,
        unit_symbol=indicator.unit.symbol(lang),
        polarity=indicator.polarity.value,
        decimals=indicator.decimals,
        age_band=indicator.population.age_band,
        sex_breakdown=indicator.population.sex_breakdown,
        levels=[level.value for level in indicator.levels],
        aggregable=indicator.aggregable,
        source_kind=source.kind,
        organisation=source.organisation_name(lang),
        licence=source.licence,
        attribution=source.attribution,
        url=source.url,
        sotkanet_id=source.sotkanet_id,
        statfin_table=source.statfin_table,
        rule=source.rule,
        verified=source.verified,
        verified_by=source.verified_by,
        caveats=indicator.caveats.get(lang) if indicator.caveats else None,
        synthetic_demo=indicator.synthetic_demo,
        phenomena=uses,
        provenance=_provenance(reader, indicator.id),
        levels_with_data=sorted(
            reader.levels_with_values(indicator.id),
            key=["country", "yta", "hva", "municipality"].index,
        ),
        built_at=reader.index().meta.get("built_at", ""),
    )


def _provenance(reader: CubeReader, indicator_id: str) -> list[ProvenanceEntry]:
    entries = [
        ProvenanceEntry(
            source=str(source),
            source_version=str(version) or None,
            retrieved_at=retrieved if isinstance(retrieved, dt.datetime) else None,
            first_year=int(first),
            last_year=int(last),
            facts=int(count),
            synthetic_facts=int(synthetic),
            suppressed_facts=int(suppressed),
        )
        for source, version, retrieved, first, last, count, synthetic, suppressed in (
            reader.provenance(indicator_id)
        )
    ]
    entries.sort(key=lambda e: (e.first_year, e.source))
    return entries
