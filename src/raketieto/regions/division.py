"""The Statistics Finland regional division of one year, with look-ups by code and by name."""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

from raketieto.errors import NotFoundError, RaketietoError
from raketieto.text import fold

COUNTRY_CODE = "SSS"
ALAND_COUNTY = "HVA91"
ALAND_AREA = "YTA6"
ALAND_MESSAGE = (
    "Ahvenanmaa on hyvinvointialueuudistuksen ulkopuolella, eikä raketieto raportoi sitä "
    "(Åland ingår inte i välfärdsområdesreformen; Åland is outside the reform)"
)

_NAME_COLUMNS = ("fi", "sv", "en")


class Level(StrEnum):
    """A regional level, from the whole country down."""

    COUNTRY = "country"
    COLLABORATIVE_AREA = "yta"
    COUNTY = "hva"
    MUNICIPALITY = "municipality"

    @property
    def depth(self) -> int:
        """0 for the country, 3 for municipalities."""
        return list(Level).index(self)

    def label(self, lang: str = "fi") -> str:
        """The level's name in lang."""
        return _LEVEL_LABELS[self][lang if lang in _NAME_COLUMNS else "fi"]


_LEVEL_LABELS: dict[Level, dict[str, str]] = {
    Level.COUNTRY: {"fi": "koko maa", "sv": "hela landet", "en": "whole country"},
    Level.COLLABORATIVE_AREA: {
        "fi": "yhteistyöalue",
        "sv": "samarbetsområde",
        "en": "collaborative area",
    },
    Level.COUNTY: {
        "fi": "hyvinvointialue",
        "sv": "välfärdsområde",
        "en": "wellbeing services county",
    },
    Level.MUNICIPALITY: {"fi": "kunta", "sv": "kommun", "en": "municipality"},
}


class OutsideSystemError(RaketietoError):
    """A region that exists but is outside the wellbeing services county system (Åland)."""


@dataclass(frozen=True)
class Region:
    """One area on one level, with its names in Finnish, Swedish and English."""

    code: str
    level: Level
    names: dict[str, str] = field(hash=False, compare=False)
    parent_code: str | None

    @property
    def short_code(self) -> str:
        """The code without its StatFin prefix ('005' for KU005, '01' for HVA01)."""
        return re.sub(r"^(KU|HVA|YTA)", "", self.code) if self.code != COUNTRY_CODE else ""

    def name(self, lang: str = "fi") -> str:
        """The name in lang (fi, sv or en), falling back to Finnish."""
        return self.names.get(lang) or self.names["fi"]


@dataclass
class Division:
    """All regions of one year's division; Åland is known only to say it is outside."""

    year: int
    regions: dict[str, Region]
    aland_codes: frozenset[str]
    aland_names: frozenset[str] = frozenset()
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for region in self.regions.values():
            self._children.setdefault(region.code, [])
            if region.parent_code is not None:
                self._children.setdefault(region.parent_code, []).append(region.code)
            keys = {fold(name) for name in region.names.values()}
            keys |= {_short_name(key) for key in keys}
            for key in keys:
                self._by_name.setdefault(key, []).append(region.code)
        for kids in self._children.values():
            kids.sort()

    def get(self, code: str) -> Region:
        """The region with this canonical code; Åland and unknown codes raise clear errors."""
        region = self.regions.get(code)
        if region is not None:
            return region
        if code in self.aland_codes:
            raise OutsideSystemError(f"'{code}': {ALAND_MESSAGE}.")
        raise NotFoundError("aluekoodi", code, self.regions, hint=f"aluejako {self.year}")

    def lookup(self, query: str) -> Region:
        """Find a region by code (SSS, 1/YTA1, 01/HVA01, 005/KU005) or by name in any language."""
        text = query.strip()
        code = canonical_code(text)
        if code is not None and (code in self.regions or code in self.aland_codes):
            return self.get(code)
        key = fold(text)
        matches = self._by_name.get(key) or self._by_name.get(_short_name(key), [])
        if matches:
            # Short names could in principle hit two levels; the higher one is what users mean.
            best = min(matches, key=lambda c: self.regions[c].level.depth)
            return self.regions[best]
        if key in _ALAND_NAMES or key in self.aland_names:
            raise OutsideSystemError(f"'{query}': {ALAND_MESSAGE}.")
        names = [r.name("fi") for r in self.regions.values()]
        raise NotFoundError("alue", query, names + list(self.regions), hint=f"aluejako {self.year}")

    def aland_municipalities(self) -> frozenset[str]:
        """3-digit codes of Åland's municipalities, which data must drop (they are outside)."""
        return frozenset(c[2:] for c in self.aland_codes if c.startswith("KU"))

    def children(self, code: str) -> list[Region]:
        """The regions one level below code, sorted by code."""
        self.get(code)
        return [self.regions[c] for c in self._children.get(code, [])]

    def parent(self, code: str) -> Region | None:
        """The region one level above code, None for the country."""
        parent_code = self.get(code).parent_code
        return None if parent_code is None else self.regions[parent_code]

    def ancestors(self, code: str) -> list[Region]:
        """The chain from the country down to code's parent."""
        chain: list[Region] = []
        parent = self.parent(code)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent.code)
        return list(reversed(chain))

    def at_level(self, level: Level) -> list[Region]:
        """Every region on level, sorted by code."""
        return sorted((r for r in self.regions.values() if r.level is level), key=lambda r: r.code)

    def descendants(self, code: str, level: Level) -> list[Region]:
        """Every region on level below (or equal to) code."""
        top = self.get(code)
        if top.level is level:
            return [top]
        found: list[Region] = []
        for child in self.children(code):
            found.extend(self.descendants(child.code, level))
        return found

    def ancestor_at(self, code: str, level: Level) -> Region:
        """The region on level that contains code (code itself if it is on that level)."""
        region = self.get(code)
        while region.level.depth > level.depth:
            assert region.parent_code is not None  # only the country has no parent
            region = self.regions[region.parent_code]
        if region.level is not level:
            raise RaketietoError(f"Alue '{code}' on ylemmällä tasolla kuin {level.label()}.")
        return region

    def municipality_parent_map(self, level: Level) -> dict[str, str]:
        """Municipality code -> code of the region containing it on level."""
        return {
            m.code: self.ancestor_at(m.code, level).code for m in self.at_level(Level.MUNICIPALITY)
        }


_ALAND_NAMES = frozenset({"ahvenanmaa", "aland", "ahvenanmaan maakunta", "landskapet aland"})
_GENERIC_SUFFIXES = (
    "n hyvinvointialue",
    " hyvinvointialue",
    "s valfardsomrade",
    " valfardsomrade",
    " wellbeing services county",
    "n yhteistyoalue",
    " yhteistyoalue",
    "s samarbetsomrade",
    " samarbetsomrade",
    " collaborative area",
)


def _short_name(key: str) -> str:
    """'pohjois-savon hyvinvointialue' -> 'pohjois-savo', so short names find counties and areas."""
    for suffix in _GENERIC_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            stem = key[: -len(suffix)]
            return "-".join(_NOMINATIVE.get(part, part) for part in stem.split("-"))
    return key


# Genitive stems of the county and area names whose nominative differs by more than the -n.
_NOMINATIVE = {
    "uudenmaa": "uusimaa",
    "suome": "suomi",
    "hamee": "hame",
    "lapi": "lappi",
    "satakunna": "satakunta",
}


def canonical_code(text: str) -> str | None:
    """The canonical StatFin-style code for a code given in any usual form, or None."""
    upper = text.strip().upper()
    if upper in {"SSS", "FI", "KOKO MAA", "HELA LANDET", "WHOLE COUNTRY", "SUOMI", "FINLAND"}:
        return COUNTRY_CODE
    patterns = (
        (r"(?:KU)?(\d{3})", "KU{}"),
        (r"(?:HVA)?(\d{2})", "HVA{}"),
        (r"(?:YTA)?(\d)", "YTA{}"),
    )
    for pattern, template in patterns:
        match = re.fullmatch(pattern, upper)
        if match:
            return template.format(match.group(1))
    return None


def available_years() -> list[int]:
    """The years whose division is shipped with the package."""
    folder = resources.files("raketieto") / "data" / "regions"
    years = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"regions_(\d{4})\.csv", entry.name)
        if match:
            years.append(int(match.group(1)))
    return sorted(years)


@functools.lru_cache(maxsize=8)
def load_division(year: int | None = None) -> Division:
    """The shipped division of year (None: the newest); unknown years raise NotFoundError."""
    years = available_years()
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise NotFoundError("aluejaon vuosi", str(chosen), [str(y) for y in years])
    path = resources.files("raketieto") / "data" / "regions" / f"regions_{chosen}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return _build(chosen, rows)


def _build(year: int, rows: list[dict[str, str]]) -> Division:
    regions: dict[str, Region] = {
        COUNTRY_CODE: Region(
            COUNTRY_CODE,
            Level.COUNTRY,
            # The top of the hierarchy is the sum of the counties, so Åland is not in it.
            {
                "fi": "Koko maa (pl. Ahvenanmaa)",
                "sv": "Hela landet (utom Åland)",
                "en": "Whole country (excl. Åland)",
            },
            None,
        )
    }
    aland: set[str] = {ALAND_COUNTY, ALAND_AREA}
    aland_names: list[str] = []
    for row in rows:
        municipality = f"KU{row['municipality_code']}"
        if row["is_aland"] == "1":
            aland.add(municipality)
            aland_names.extend(fold(row[f"municipality_name_{lang}"]) for lang in _NAME_COLUMNS)
            continue
        area = f"YTA{row['yta_code']}"
        county = f"HVA{row['hva_code']}"
        regions.setdefault(
            area,
            Region(area, Level.COLLABORATIVE_AREA, _names(row, "yta_name"), COUNTRY_CODE),
        )
        regions.setdefault(county, Region(county, Level.COUNTY, _names(row, "hva_name"), area))
        regions[municipality] = Region(
            municipality, Level.MUNICIPALITY, _names(row, "municipality_name"), county
        )
    return Division(
        year=year, regions=regions, aland_codes=frozenset(aland), aland_names=frozenset(aland_names)
    )


def _names(row: dict[str, str], prefix: str) -> dict[str, str]:
    # The published files have stray spaces (e.g. 'Norra Savolax välfärdsområde ').
    return {lang: " ".join(row[f"{prefix}_{lang}"].split()) for lang in _NAME_COLUMNS}
