"""Similar areas: the ten municipalities or counties most like the chosen one, and their values.

An area is described by five numbers from the shipped data: its population (log scale), the
shares of its people living in urban and in rural municipalities (Statistics Finland's
urban–rural classification, kuntaryhmitys), and the shares aged 0–14 and 65 or over. Each is
standardised over the areas of the same level; the most similar areas are the nearest by
Euclidean distance, all five weighted equally (Fingertips' "nearest neighbours" do the same
with other variables).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from raketieto.catalogue import Catalogue
from raketieto.clientdata.population import population_2024
from raketieto.cube.query import CubeReader
from raketieto.errors import RaketietoError
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.reports.ranking import Ranking, rank_regions

#: How many similar areas are shown beside the chosen one.
NEIGHBOURS = 10
#: Urban–rural classes of the classification: 1 urban, 2 semi-urban, 3 rural.
URBAN, SEMI_URBAN, RURAL = "1", "2", "3"
FEATURES = ("log_population", "urban_share", "rural_share", "young_share", "old_share")
COMPARABLE = (Level.MUNICIPALITY, Level.COUNTY)


@dataclass(frozen=True)
class AreaProfile:
    """The numbers that describe an area for the similarity, from the shipped 2024 data."""

    code: str
    population: int
    urban_share: float
    rural_share: float
    young_share: float
    old_share: float

    def features(self) -> list[float]:
        """The five numbers compared, in the order of FEATURES."""
        return [
            math.log10(max(self.population, 1)),
            self.urban_share,
            self.rural_share,
            self.young_share,
            self.old_share,
        ]


@dataclass(frozen=True)
class SimilarArea:
    """One of the similar areas: its profile and its distance from the chosen area."""

    region: Region
    profile: AreaProfile
    distance: float


@dataclass(frozen=True)
class SimilarAreas:
    """The chosen area, its most similar areas (nearest first) and their values compared."""

    region: Region
    profile: AreaProfile
    similar: list[SimilarArea]
    comparison: Ranking
    population_year: int = 2024


def _urban_classes(year: int) -> dict[str, str]:
    path = resources.files("raketieto") / "data" / "regions" / f"regions_{year}.csv"
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {f"KU{r['municipality_code']}": r["kuntaryhmitys_code"] for r in rows}


def area_profiles(division: Division) -> dict[str, AreaProfile]:
    """Profiles of every municipality and county of the division (Åland is outside)."""
    # A division is not hashable; the shipped one of a year is the same for every request.
    return _profiles(division.year, division)


_KEPT: dict[int, dict[str, AreaProfile]] = {}


def _profiles(year: int, division: Division) -> dict[str, AreaProfile]:
    kept = _KEPT.get(year)
    if kept is None:
        kept = _KEPT[year] = _build_profiles(division)
    return kept


def _build_profiles(division: Division) -> dict[str, AreaProfile]:
    classes = _urban_classes(division.year)
    frame = population_2024(division)
    sums: dict[str, np.ndarray] = {}
    columns = ["municipality", "population", "age_0_14", "age_65_plus"]
    for municipality, population, young, old in frame[columns].itertuples(index=False):
        code = f"KU{municipality}"
        if code not in division.regions:
            continue
        klass = classes.get(code, SEMI_URBAN)
        people = float(population)
        counts = np.array(
            [
                people,
                people if klass == URBAN else 0.0,
                people if klass == RURAL else 0.0,
                float(young),
                float(old),
            ]
        )
        county = division.ancestor_at(code, Level.COUNTY).code
        for key in (code, county):
            sums[key] = sums.get(key, np.zeros(5)) + counts
    return {
        code: AreaProfile(
            code,
            int(total[0]),
            *(float(total[i] / total[0]) if total[0] else 0.0 for i in range(1, 5)),
        )
        for code, total in sums.items()
    }


def nearest(
    division: Division, region: Region, count: int = NEIGHBOURS
) -> tuple[AreaProfile, list[SimilarArea]]:
    """The chosen area's profile and the count areas of its level most like it."""
    key = (division.year, region.code, count)
    kept = _NEAREST.get(key)
    if kept is None:
        kept = _NEAREST[key] = _nearest(division, region, count)
    return kept


_NEAREST: dict[tuple[int, str, int], tuple[AreaProfile, list[SimilarArea]]] = {}


def _nearest(
    division: Division, region: Region, count: int
) -> tuple[AreaProfile, list[SimilarArea]]:
    if region.level not in COMPARABLE:
        raise RaketietoError(
            f"Samankaltaiset alueet lasketaan vain kunnille ja hyvinvointialueille, ei alueelle "
            f"'{region.code}'."
        )
    profiles = area_profiles(division)
    if region.code not in profiles:
        raise RaketietoError(f"Alueelle '{region.code}' ei ole väestötietoja vuodelta 2024.")
    peers, scaled = _standardised(division, region.level)
    me = scaled[[r.code for r in peers].index(region.code)]
    distances = np.sqrt(((scaled - me) ** 2).sum(axis=1))
    order = sorted(
        (i for i, r in enumerate(peers) if r.code != region.code),
        key=lambda i: (float(distances[i]), peers[i].code),
    )
    chosen = [
        SimilarArea(peers[i], profiles[peers[i].code], float(distances[i])) for i in order[:count]
    ]
    return profiles[region.code], chosen


_STANDARDISED: dict[tuple[int, Level], tuple[list[Region], np.ndarray]] = {}


def _standardised(division: Division, level: Level) -> tuple[list[Region], np.ndarray]:
    """The areas of one level with a profile and their features standardised over the level;
    the same for every area of the level, so computed once per division."""
    key = (division.year, level)
    kept = _STANDARDISED.get(key)
    if kept is None:
        profiles = area_profiles(division)
        peers = [r for r in division.at_level(level) if r.code in profiles]
        matrix = np.array([profiles[r.code].features() for r in peers])
        spread = matrix.std(axis=0)
        spread[spread == 0] = 1.0
        kept = _STANDARDISED[key] = (peers, (matrix - matrix.mean(axis=0)) / spread)
    return kept


def warm(division: Division) -> int:
    """Compute every comparable area's most similar areas now (the web app's start-up), so
    that no visitor's first glance pays for the profiles; how many areas were done."""
    profiles = area_profiles(division)
    done = 0
    for level in COMPARABLE:
        for region in division.at_level(level):
            if region.code in profiles:
                nearest(division, region)
                done += 1
    return done


def similar_areas(
    reader: CubeReader,
    catalogue: Catalogue,
    division: Division,
    region_code: str,
    indicator_id: str,
    *,
    year: int | None = None,
    lang: str = "fi",
) -> SimilarAreas | None:
    """The area among its most similar areas for one indicator; None above county level."""
    region = division.get(region_code)
    if region.level not in COMPARABLE:
        return None
    profile, similar = nearest(division, region)
    ranked = rank_regions(
        reader,
        catalogue,
        indicator_id,
        [region, *(s.region for s in similar)],
        level=region.level,
        scope=division.get(COUNTRY_CODE),
        year=year,
        highlight=frozenset({region.code}),
        lang=lang,
    )
    return SimilarAreas(region, profile, similar, ranked)
