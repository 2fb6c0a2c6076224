"""Reference data the services check input against: phenomena, indicators and regions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from raketieto.errors import NotFoundError
from raketieto.regions import Division, Level
from raketieto.store.enums import OTHER_PHENOMENON


class CatalogueLike(Protocol):
    """The part of raketieto.catalogue.Catalogue the store needs."""

    @property
    def phenomena(self) -> Mapping[str, object]: ...

    @property
    def indicators(self) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class Vocabulary:
    """Valid phenomenon ids, indicator ids, and the county of every county or municipality code."""

    phenomena: frozenset[str]
    indicators: frozenset[str]
    county_of: Mapping[str, str] = field(hash=False)

    @classmethod
    def build(
        cls, *, phenomena: Iterable[str], indicators: Iterable[str], division: Division
    ) -> Vocabulary:
        """A vocabulary from id lists and a regional division."""
        county_of = {r.code: r.code for r in division.at_level(Level.COUNTY)}
        county_of.update(division.municipality_parent_map(Level.COUNTY))
        return cls(frozenset(phenomena), frozenset(indicators), county_of)

    @classmethod
    def from_sources(cls, catalogue: CatalogueLike, division: Division) -> Vocabulary:
        """A vocabulary from the loaded catalogue and regional division."""
        return cls.build(
            phenomena=catalogue.phenomena, indicators=catalogue.indicators, division=division
        )

    @property
    def counties(self) -> frozenset[str]:
        """Codes of the wellbeing services counties (and Helsinki)."""
        return frozenset(self.county_of.values())

    def county_for(self, region_code: str) -> str:
        """The county of a municipality (KU###) or county (HVA##) code."""
        code = region_code.strip().upper()
        if code not in self.county_of:
            raise NotFoundError(
                "alue", region_code, self.county_of, hint="odotettiin kunta KU### tai alue HVA##"
            )
        return self.county_of[code]

    def check_county(self, county_code: str) -> str:
        """county_code itself if it names a county, else NotFoundError."""
        code = county_code.strip().upper()
        if code not in self.counties:
            raise NotFoundError("hyvinvointialue", county_code, self.counties)
        return code

    def check_phenomenon(self, phenomenon_id: str, *, allow_other: bool = True) -> str:
        """phenomenon_id if the catalogue knows it (or it is 'other' where allowed)."""
        if phenomenon_id in self.phenomena or (allow_other and phenomenon_id == OTHER_PHENOMENON):
            return phenomenon_id
        choices = set(self.phenomena) | ({OTHER_PHENOMENON} if allow_other else set())
        raise NotFoundError("ilmiö", phenomenon_id, choices)

    def check_indicator(self, indicator_id: str) -> str:
        """indicator_id if the catalogue knows it."""
        if indicator_id not in self.indicators:
            raise NotFoundError("indikaattori", indicator_id, self.indicators)
        return indicator_id
