"""A cube published: built, on a large cube its county workbooks made ahead in every language
(exports.county_workbooks), swapped in, and the replaced cube's workbooks removed.

Every command that makes a new live cube (build-demo, fetch, clientdata load) publishes it
through here, so that what goes live with a cube is the same whichever way it was built.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.cube.build import build_cube
from raketieto.exports.county_workbooks import WorkbooksAhead
from raketieto.regions import Division
from raketieto.settings import Settings


def publish_cube(
    facts: pd.DataFrame | Iterable[pd.DataFrame],
    *,
    settings: Settings,
    catalogue: Catalogue,
    division: Division,
) -> Path:
    """build_cube, with every county's workbook of a large cube made before the swap; on any
    error before or in the swap the live cube is untouched and the new cube's workbooks are
    removed. Then the replaced cube's workbooks are removed."""
    ahead = WorkbooksAhead(settings, catalogue, division)
    try:
        path = build_cube(
            facts,
            settings=settings,
            catalogue=catalogue,
            division=division,
            before_swap=ahead.before_swap,
        )
    except BaseException:
        ahead.abandon()
        raise
    ahead.after_swap()
    return path
