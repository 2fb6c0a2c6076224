"""The catalogue's building blocks: themes, phenomena and indicators, validated by pydantic."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from raketieto.regions import Level

LANGS = ("fi", "sv", "en")
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class LangText(_Strict):
    """One text in Finnish, Swedish and English; all three are required and non-empty."""

    fi: str
    sv: str
    en: str

    @field_validator("fi", "sv", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("teksti ei saa olla tyhjä")
        return value.strip()

    def get(self, lang: str = "fi") -> str:
        """The text in lang (fi, sv or en), falling back to Finnish."""
        return str(getattr(self, lang)) if lang in LANGS else self.fi


class Unit(StrEnum):
    """How a value is expressed; decides the scale and the confidence-interval method."""

    COUNT = "count"
    PERCENT = "percent"
    PER_1000 = "per_1000"
    PER_100000 = "per_100000"
    EUR_PER_INHABITANT = "eur_per_inhabitant"
    LITRES_PER_INHABITANT = "litres_per_inhabitant"
    INDEX = "index"

    @property
    def scale(self) -> int | None:
        """value = numerator / denominator * scale; None where no such relation holds."""
        return _SCALES[self]

    @property
    def ci_method(self) -> str:
        """'wilson' for shares, 'poisson' for rates of events, 'none' otherwise."""
        if self is Unit.PERCENT:
            return "wilson"
        if self in (Unit.PER_1000, Unit.PER_100000):
            return "poisson"
        return "none"

    @property
    def is_rate(self) -> bool:
        """True when the value is a numerator divided by a denominator."""
        return self.scale is not None and self is not Unit.COUNT

    def symbol(self, lang: str = "fi") -> str:
        """A short unit label for tables and charts."""
        return _SYMBOLS[self].get(lang, _SYMBOLS[self]["fi"])


_SCALES: dict[Unit, int | None] = {
    Unit.COUNT: 1,
    Unit.PERCENT: 100,
    Unit.PER_1000: 1000,
    Unit.PER_100000: 100000,
    Unit.EUR_PER_INHABITANT: 1,
    Unit.LITRES_PER_INHABITANT: 1,
    Unit.INDEX: None,
}

_SYMBOLS: dict[Unit, dict[str, str]] = {
    Unit.COUNT: {"fi": "lkm", "sv": "antal", "en": "number"},
    Unit.PERCENT: {"fi": "%", "sv": "%", "en": "%"},
    Unit.PER_1000: {"fi": "/ 1 000", "sv": "/ 1 000", "en": "per 1,000"},
    Unit.PER_100000: {"fi": "/ 100 000", "sv": "/ 100 000", "en": "per 100,000"},
    Unit.EUR_PER_INHABITANT: {"fi": "€ / asukas", "sv": "€ / invånare", "en": "€ per inhabitant"},
    Unit.LITRES_PER_INHABITANT: {
        "fi": "l / asukas",
        "sv": "l / invånare",
        "en": "litres per inhabitant",
    },
    Unit.INDEX: {"fi": "indeksi", "sv": "index", "en": "index"},
}


class Polarity(StrEnum):
    """Whether a higher value is better, worse, or neither."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


class Theme(_Strict):
    """One part of the generic information need, the same for every phenomenon."""

    id: Slug
    label: LangText
    description: LangText
    order: int


class Phenomenon(_Strict):
    """A phenomenon described in the generic shape: what it needs under each theme."""

    id: Slug
    label: LangText
    description: LangText
    themes: dict[str, LangText]
    headline_indicators: list[str] = Field(min_length=1, max_length=5)
    order: int

    @field_validator("headline_indicators")
    @classmethod
    def _unique_headlines(cls, value: list[str]) -> list[str]:
        repeated = sorted({i for i in value if value.count(i) > 1})
        if repeated:
            raise ValueError(f"sama indikaattori useaan kertaan: {', '.join(repeated)}")
        return value


SourceKind = Literal["sotkanet", "statfin", "kela", "ara", "tem", "client_data", "population"]


class Source(_Strict):
    """Where an indicator's values come from, under which licence, and whether the id is checked."""

    kind: SourceKind
    sotkanet_id: int | None = Field(default=None, gt=0)
    statfin_table: str | None = Field(default=None, pattern=r"^[0-9a-z]{3,6}$")
    rule: str | None = Field(default=None, pattern=r"^[a-z_0-9]+(:[a-z_0-9+]+)?$")
    organisation: LangText | str
    licence: str = Field(min_length=1)
    attribution: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://")
    verified: bool
    verified_by: str | None = None

    @model_validator(mode="after")
    def _kind_needs_its_key(self) -> Source:
        if self.kind == "sotkanet" and self.sotkanet_id is None:
            raise ValueError("lähdetyyppi 'sotkanet' vaatii kentän sotkanet_id")
        if self.kind == "statfin" and self.statfin_table is None:
            raise ValueError("lähdetyyppi 'statfin' vaatii kentän statfin_table")
        if self.kind == "client_data" and self.rule is None:
            raise ValueError("lähdetyyppi 'client_data' vaatii kentän rule")
        if self.kind != "client_data" and self.rule is not None:
            raise ValueError("kenttä rule kuuluu vain lähdetyypille 'client_data'")
        if self.verified and not self.verified_by:
            raise ValueError(
                "verified: true vaatii kentän verified_by (mistä tunniste tarkistettiin)"
            )
        return self

    def organisation_name(self, lang: str = "fi") -> str:
        """The organisation's name in lang."""
        if isinstance(self.organisation, LangText):
            return self.organisation.get(lang)
        return self.organisation


class PopulationGroup(_Strict):
    """Whom an indicator counts: an age band and whether a breakdown by sex exists."""

    age_band: str = Field(default="total", pattern=r"^(total|\d{1,3}-\d{1,3}|\d{1,3}\+)$")
    sex_breakdown: bool

    @field_validator("age_band")
    @classmethod
    def _ordered_band(cls, value: str) -> str:
        match = re.fullmatch(r"(\d+)-(\d+)", value)
        if match and int(match.group(1)) > int(match.group(2)):
            raise ValueError(f"ikäryhmän alaraja on suurempi kuin yläraja: {value}")
        return value


class Membership(_Strict):
    """An indicator's place in one phenomenon under one generic theme."""

    phenomenon: str
    theme: str


class Indicator(_Strict):
    """One indicator with one definition, comparable everywhere."""

    id: Slug
    label: LangText
    definition: LangText
    numerator: LangText
    denominator: LangText | None = None
    unit: Unit
    polarity: Polarity
    population: PopulationGroup
    levels: list[Level] = Field(min_length=1)
    source: Source
    memberships: list[Membership] = Field(min_length=1)
    aggregable: bool
    derive_numerator_from: str | None = None
    denominator_from: str | None = None
    decimals: int = Field(ge=0, le=6)
    caveats: LangText | None = None
    synthetic_demo: bool = False
    meaningful_change: float | None = Field(default=None, gt=0)

    @field_validator("levels")
    @classmethod
    def _unique_levels(cls, value: list[Level]) -> list[Level]:
        if len(set(value)) != len(value):
            raise ValueError("sama aluetaso useaan kertaan")
        return sorted(value, key=lambda level: level.depth)

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.unit.is_rate and self.denominator is None:
            raise ValueError(f"yksikkö '{self.unit.value}' vaatii nimittäjän (denominator)")
        if self.derive_numerator_from is not None and not self.aggregable:
            raise ValueError(
                "derive_numerator_from on tarkoitettu summattaville indikaattoreille "
                "(aggregable: true)"
            )
        if self.derive_numerator_from is not None and self.denominator_from is not None:
            raise ValueError("käytä joko derive_numerator_from tai denominator_from, ei molempia")
        if not self.source.verified and self.caveats is None:
            raise ValueError(
                "tarkistamaton lähteen tunniste (verified: false) vaatii kentän caveats, joka "
                "kertoo, mistä tunniste on peräisin"
            )
        pairs = [(m.phenomenon, m.theme) for m in self.memberships]
        if len(set(pairs)) != len(pairs):
            raise ValueError("sama ilmiö ja teema useaan kertaan kentässä memberships")
        return self

    def phenomena(self) -> list[str]:
        """The phenomena this indicator serves, in the order of its memberships."""
        return list(dict.fromkeys(m.phenomenon for m in self.memberships))

    def themes_in(self, phenomenon_id: str) -> list[str]:
        """The themes under which this indicator serves one phenomenon."""
        return [m.theme for m in self.memberships if m.phenomenon == phenomenon_id]
