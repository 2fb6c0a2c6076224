"""Similar areas: the nearest by the stated method, checked against a plain recomputation."""

from __future__ import annotations

import math
import statistics

import pytest

from raketieto.catalogue import load_catalogue
from raketieto.clientdata.population import population_2024
from raketieto.cube.query import CubeReader
from raketieto.errors import RaketietoError
from raketieto.regions import Level, load_division
from raketieto.reports import similar as similar_module
from raketieto.reports.similar import NEIGHBOURS, area_profiles, nearest, similar_areas
from raketieto.settings import Settings

DIVISION = load_division()


def _plain_distances(level: Level, code: str) -> dict[str, float]:
    """The method as docs/statistics.md states it, written out without numpy."""
    profiles = area_profiles(DIVISION)
    peers = [r.code for r in DIVISION.at_level(level) if r.code in profiles]
    rows = {c: profiles[c].features() for c in peers}
    columns = list(zip(*rows.values(), strict=True))
    means = [statistics.fmean(c) for c in columns]
    spreads = [statistics.pstdev(c) or 1.0 for c in columns]
    scaled = {c: [(x - m) / s for x, m, s in zip(v, means, spreads, strict=True)]
              for c, v in rows.items()}  # fmt: skip
    me = scaled[code]
    return {c: math.dist(me, v) for c, v in scaled.items() if c != code}


@pytest.mark.parametrize("code", ["KU091", "KU005", "KU977", "HVA12", "HVA90", "HVA01"])
def test_the_nearest_areas_are_the_ten_closest_of_the_same_level(code: str) -> None:
    region = DIVISION.get(code)
    _profile, similar = nearest(DIVISION, region)
    assert len(similar) == NEIGHBOURS
    assert all(s.region.level is region.level and s.region.code != code for s in similar)
    distances = [s.distance for s in similar]
    assert distances == sorted(distances)
    plain = _plain_distances(region.level, code)
    for one in similar:
        assert one.distance == pytest.approx(plain[one.region.code])
    others = [d for c, d in plain.items() if c not in {s.region.code for s in similar}]
    assert max(distances) <= min(others) + 1e-12


def test_a_county_profile_sums_its_municipalities() -> None:
    profiles = area_profiles(DIVISION)
    frame = population_2024(DIVISION)
    people = dict(zip("KU" + frame["municipality"], frame["population"], strict=True))
    for county in DIVISION.at_level(Level.COUNTY):
        members = DIVISION.descendants(county.code, Level.MUNICIPALITY)
        assert profiles[county.code].population == sum(people[m.code] for m in members)
        shares = profiles[county.code]
        assert 0 <= shares.urban_share + shares.rural_share <= 1
        assert 0 < shares.young_share < 1 and 0 < shares.old_share < 1


def test_a_municipality_is_wholly_urban_semi_urban_or_rural() -> None:
    for region in DIVISION.at_level(Level.MUNICIPALITY):
        profile = area_profiles(DIVISION)[region.code]
        assert (profile.urban_share, profile.rural_share) in {(1.0, 0.0), (0.0, 1.0), (0.0, 0.0)}


def test_levels_without_peers_are_refused_or_left_out(demo_settings: Settings) -> None:
    with pytest.raises(RaketietoError, match="YTA1"):
        nearest(DIVISION, DIVISION.get("YTA1"))
    with CubeReader.open(demo_settings) as reader:
        catalogue = load_catalogue()
        assert similar_areas(reader, catalogue, DIVISION, "SSS", "population") is None


def test_the_comparison_holds_the_area_and_its_similar_areas(demo_settings: Settings) -> None:
    catalogue = load_catalogue()
    indicator = "social-assistance-recipients-pct"
    with CubeReader.open(demo_settings) as reader:
        found = similar_areas(reader, catalogue, DIVISION, "KU091", indicator)
    assert found is not None
    codes = {r.region_code for r in found.comparison.rows}
    assert codes == {"KU091", *(s.region.code for s in found.similar)}
    assert [r.region_code for r in found.comparison.rows if r.highlighted] == ["KU091"]
    ranks = [r.rank for r in found.comparison.rows if r.rank is not None]
    assert ranks == list(range(1, len(ranks) + 1))
    values = [r.cell.value for r in found.comparison.ranked if r.cell is not None]
    assert values == sorted(values, reverse=True)


def test_the_warm_up_keeps_every_comparable_areas_nearest_areas() -> None:
    profiles = area_profiles(DIVISION)
    comparable = [
        r
        for level in (Level.MUNICIPALITY, Level.COUNTY)
        for r in DIVISION.at_level(level)
        if r.code in profiles
    ]
    assert similar_module.warm(DIVISION) == len(comparable)
    for region in comparable:
        kept = similar_module._NEAREST[(DIVISION.year, region.code, NEIGHBOURS)]
        assert nearest(DIVISION, region) is kept
    # What the warm-up kept is the method's answer (the nearest by the plain recomputation).
    region = comparable[len(comparable) // 2]
    distances = _plain_distances(region.level, region.code)
    expected = sorted(distances, key=lambda c: (distances[c], c))[:NEIGHBOURS]
    assert [s.region.code for s in nearest(DIVISION, region)[1]] == expected
