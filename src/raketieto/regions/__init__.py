"""The regional hierarchy: country, collaborative areas, counties, municipalities."""

from raketieto.regions.division import (
    ALAND_MESSAGE,
    Division,
    Level,
    OutsideSystemError,
    Region,
    available_years,
    load_division,
)

__all__ = [
    "ALAND_MESSAGE",
    "Division",
    "Level",
    "OutsideSystemError",
    "Region",
    "available_years",
    "load_division",
]
