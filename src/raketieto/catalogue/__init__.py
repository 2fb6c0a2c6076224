"""The catalogue of phenomena and indicators: YAML definitions validated by pydantic models."""

from raketieto.catalogue.catalogue import Catalogue
from raketieto.catalogue.loader import DEFINITIONS, load_catalogue, validate_catalogue
from raketieto.catalogue.models import (
    Indicator,
    LangText,
    Membership,
    Phenomenon,
    Polarity,
    PopulationGroup,
    Source,
    Theme,
    Unit,
)
from raketieto.catalogue.problems import CatalogueError, Problem

__all__ = [
    "DEFINITIONS",
    "Catalogue",
    "CatalogueError",
    "Indicator",
    "LangText",
    "Membership",
    "Phenomenon",
    "Polarity",
    "PopulationGroup",
    "Problem",
    "Source",
    "Theme",
    "Unit",
    "load_catalogue",
    "validate_catalogue",
]
