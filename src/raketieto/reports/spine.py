"""The area profile (spine chart): each indicator of an area against the range of the counties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from raketieto.catalogue.models import Indicator, Unit
from raketieto.cube.memory import FactIndex
from raketieto.regions import Division, Level, Region
from raketieto.regions.division import COUNTRY_CODE


@dataclass(frozen=True)
class SpineRow:
    """One indicator: the area's value, the country's, and the counties' spread in one year."""

    indicator_id: str
    label: str
    unit: str
    decimals: int
    polarity: str
    year: int
    value: float
    comparison: str
    synthetic: bool
    country: float | None
    lowest: float
    lower_quartile: float
    upper_quartile: float
    highest: float
    counties: int

    def position(self, value: float) -> float:
        """Where value lies on the spine: 0 worst county, 0.5 the country, 1 best county.

        As in Fingertips' area profiles each side is scaled by the larger distance from the
        country to the ends, so that the country sits in the middle; a neutral indicator puts
        the higher values on the right.
        """
        centre = self.country if self.country is not None else (self.lowest + self.highest) / 2
        reach = max(abs(self.highest - centre), abs(centre - self.lowest))
        if reach == 0:
            return 0.5
        side = -1.0 if self.polarity == "lower_is_better" else 1.0
        return 0.5 + 0.5 * side * (value - centre) / reach


@dataclass(frozen=True)
class Spine:
    """The area profile of one area: rows with county values, and indicators left out."""

    region_code: str
    rows: list[SpineRow]
    without_county_values: list[str]

    @property
    def has_synthetic(self) -> bool:
        """True when any value of the area shown is synthetic."""
        return any(r.synthetic for r in self.rows)


def _quantile(ordered: list[float], q: float) -> float:
    """numpy's default (linear) quantile of sorted values; numpy costs more than it saves here."""
    position = (len(ordered) - 1) * q
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    return ordered[below] + (position - below) * (ordered[below + 1] - ordered[below])


def area_spine(
    index: FactIndex,
    division: Division,
    region: Region,
    indicators: Sequence[Indicator],
    *,
    year: int | None = None,
    lang: str = "fi",
) -> Spine:
    """The area's latest value (up to year) of each indicator beside the counties' spread."""
    counties = division.at_level(Level.COUNTY)
    rows: list[SpineRow] = []
    left_out: list[str] = []
    for indicator in indicators:
        if indicator.unit is Unit.COUNT:
            # A count grows with the area's size: against counties it says only how big it is.
            continue
        shown = index.shown(indicator.id, region.code, up_to=year)
        # A suppressed latest value stays hidden here too: no older value stands in for it.
        latest = shown[-1] if shown else None
        if latest is None or latest.suppressed or latest.value is None:
            continue
        value = latest.value
        found = [index.at(indicator.id, c.code, latest.year) for c in counties]
        values = [
            f.value for f in found if f is not None and f.value is not None and not f.suppressed
        ]
        if len(values) < 2:
            left_out.append(indicator.label.get(lang))
            continue
        spread = [_quantile(sorted(values), q) for q in (0.0, 0.25, 0.75, 1.0)]
        country = index.at(indicator.id, COUNTRY_CODE, latest.year)
        rows.append(
            SpineRow(
                indicator_id=indicator.id,
                label=indicator.label.get(lang),
                unit=indicator.unit.value,
                decimals=indicator.decimals,
                polarity=indicator.polarity.value,
                year=latest.year,
                value=value,
                comparison=latest.comparison,
                synthetic=latest.synthetic,
                country=country.value if country is not None else None,
                lowest=float(spread[0]),
                lower_quartile=float(spread[1]),
                upper_quartile=float(spread[2]),
                highest=float(spread[3]),
                counties=len(values),
            )
        )
    return Spine(region.code, rows, left_out)
