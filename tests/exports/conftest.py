"""A reader of the demo cube with the catalogue and division, shared by the export tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from raketieto.catalogue import Catalogue, load_catalogue
from raketieto.cube.query import CubeReader
from raketieto.regions import Division, load_division
from raketieto.settings import Settings


@dataclass
class Cube:
    """What select_values and the writers need."""

    reader: CubeReader
    catalogue: Catalogue
    division: Division


@pytest.fixture(scope="module")
def cube(demo_settings: Settings) -> Iterator[Cube]:
    """The demo cube, opened read-only once per module."""
    with CubeReader.open(demo_settings) as reader:
        yield Cube(reader, load_catalogue(), load_division(demo_settings.division_year))
