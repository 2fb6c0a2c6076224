"""Response shapes of the API; the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, TypeAdapter

from raketieto.catalogue import Catalogue
from raketieto.catalogue.models import Indicator, Phenomenon
from raketieto.regions import Division, Region


class Names(BaseModel):
    """A name in Finnish, Swedish and English."""

    fi: str
    sv: str
    en: str


class RegionRef(BaseModel):
    """An area by its stable code, with its name in the requested language."""

    code: str = Field(examples=["HVA05"])
    level: str = Field(examples=["hva"])
    name: str


class RegionOut(RegionRef):
    """An area with its names, its parent and the codes of the areas directly below it."""

    names: Names
    parent_code: str | None
    child_codes: list[str]


class RegionDetail(RegionOut):
    """An area with its parent, the chain above it and the areas directly below it."""

    parent: RegionRef | None
    ancestors: list[RegionRef]
    children: list[RegionRef]


class Meta(BaseModel):
    """Where the answer comes from."""

    lang: str
    division_year: int
    built_at: str
    attribution: str


class RegionList(BaseModel):
    """Areas."""

    data: list[RegionOut]
    meta: Meta


class RegionAnswer(BaseModel):
    """One area."""

    data: RegionDetail
    meta: Meta


class ThemeOut(BaseModel):
    """One theme of the generic information need for one phenomenon."""

    id: str
    label: str
    need: str
    indicator_ids: list[str]


class PhenomenonOut(BaseModel):
    """A phenomenon with its headline indicators and its themes."""

    id: str
    label: str
    description: str
    headline_indicator_ids: list[str]
    themes: list[ThemeOut]


class PhenomenonList(BaseModel):
    """Phenomena."""

    data: list[PhenomenonOut]
    meta: Meta


class PhenomenonAnswer(BaseModel):
    """One phenomenon."""

    data: PhenomenonOut
    meta: Meta


class SourceOut(BaseModel):
    """Where an indicator's values come from and under which licence."""

    kind: str
    organisation: str
    licence: str
    attribution: str
    url: str | None
    sotkanet_id: int | None
    statfin_table: str | None
    verified: bool


class IndicatorOut(BaseModel):
    """One indicator with its one definition."""

    id: str
    label: str
    definition: str
    numerator: str
    denominator: str | None
    unit: str
    unit_symbol: str
    decimals: int
    polarity: str
    age_band: str
    sex_breakdown: bool
    levels: list[str]
    aggregable: bool
    caveats: str | None
    synthetic_demo: bool
    phenomenon_ids: list[str]
    source: SourceOut


class IndicatorList(BaseModel):
    """Indicators."""

    data: list[IndicatorOut]
    meta: Meta


class IndicatorAnswer(BaseModel):
    """One indicator."""

    data: IndicatorOut
    meta: Meta


class ValueOut(BaseModel):
    """One tidy value: area × indicator × year × sex × age group (the same row as the files)."""

    area_code: str
    area_name: str
    level: str
    indicator_id: str
    indicator_label: str
    unit: str
    year: int
    sex: str
    age_group: str
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool
    suppression_reason: str | None
    comparison: str
    source: str
    source_version: str | None
    retrieved_at: str | None = Field(description="ISO 8601 UTC time, e.g. 2025-09-25T00:00:00Z")
    synthetic: bool
    note: str | None


class Paging(BaseModel):
    """Where this page is in the whole answer."""

    total: int
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, null on the last one.")
    previous: str | None


class ValueMeta(Meta):
    """Provenance of the values, and whether any of them is synthetic."""

    synthetic: bool
    columns: list[str]


class ValuePage(BaseModel):
    """One page of values."""

    data: list[ValueOut]
    paging: Paging
    meta: ValueMeta


#: Rows already in ValueOut's shape (exports.tablejson.row_json), serialised without validation.
_ROWS: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[dict[str, Any]])


def value_page_json(rows: list[dict[str, Any]], paging: Paging, meta: ValueMeta) -> bytes:
    """The JSON of ValuePage(data=rows, paging=paging, meta=meta), byte for byte, without
    validating every row into a model first (a thousand rows cost more to validate than to
    read from the cube). The rows must be row_json's: they already have ValueOut's fields,
    in order, with ValueOut's types.
    """
    return b"".join(
        (
            b'{"data":',
            _ROWS.dump_json(rows),
            b',"paging":',
            paging.model_dump_json().encode(),
            b',"meta":',
            meta.model_dump_json().encode(),
            b"}",
        )
    )


class Index(BaseModel):
    """What the API offers."""

    name: str
    version: str
    links: dict[str, str]


def region_ref(region: Region, lang: str) -> RegionRef:
    """The short form of an area."""
    return RegionRef(code=region.code, level=region.level.value, name=region.name(lang))


def region_out(division: Division, region: Region, lang: str) -> RegionOut:
    """The list form of an area."""
    return RegionOut(
        code=region.code,
        level=region.level.value,
        name=region.name(lang),
        names=Names(fi=region.name("fi"), sv=region.name("sv"), en=region.name("en")),
        parent_code=region.parent_code,
        child_codes=[c.code for c in division.children(region.code)],
    )


def region_detail(division: Division, region: Region, lang: str) -> RegionDetail:
    """The full form of an area."""
    parent = division.parent(region.code)
    return RegionDetail(
        **region_out(division, region, lang).model_dump(),
        parent=region_ref(parent, lang) if parent else None,
        ancestors=[region_ref(r, lang) for r in division.ancestors(region.code)],
        children=[region_ref(r, lang) for r in division.children(region.code)],
    )


def phenomenon_out(catalogue: Catalogue, phenomenon: Phenomenon, lang: str) -> PhenomenonOut:
    """A phenomenon with its themes in order (themes it needs nothing under are left out)."""
    themes = []
    for theme_id, members in catalogue.indicators_for(phenomenon.id).items():
        if not members and theme_id not in phenomenon.themes:
            continue
        themes.append(
            ThemeOut(
                id=theme_id,
                label=catalogue.theme(theme_id).label.get(lang),
                need=phenomenon.themes[theme_id].get(lang) if theme_id in phenomenon.themes else "",
                indicator_ids=[i.id for i in members],
            )
        )
    return PhenomenonOut(
        id=phenomenon.id,
        label=phenomenon.label.get(lang),
        description=phenomenon.description.get(lang),
        headline_indicator_ids=list(phenomenon.headline_indicators),
        themes=themes,
    )


def indicator_out(indicator: Indicator, lang: str) -> IndicatorOut:
    """An indicator's definition in one language."""
    source = indicator.source
    return IndicatorOut(
        id=indicator.id,
        label=indicator.label.get(lang),
        definition=indicator.definition.get(lang),
        numerator=indicator.numerator.get(lang),
        denominator=indicator.denominator.get(lang) if indicator.denominator else None,
        unit=indicator.unit.value,
        unit_symbol=indicator.unit.symbol(lang),
        decimals=indicator.decimals,
        polarity=indicator.polarity.value,
        age_band=indicator.population.age_band,
        sex_breakdown=indicator.population.sex_breakdown,
        levels=[level.value for level in indicator.levels],
        aggregable=indicator.aggregable,
        caveats=indicator.caveats.get(lang) if indicator.caveats else None,
        synthetic_demo=indicator.synthetic_demo,
        phenomenon_ids=indicator.phenomena(),
        source=SourceOut(
            kind=source.kind,
            organisation=source.organisation_name(lang),
            licence=source.licence,
            attribution=source.attribution,
            url=source.url,
            sotkanet_id=source.sotkanet_id,
            statfin_table=source.statfin_table,
            verified=source.verified,
        ),
    )
