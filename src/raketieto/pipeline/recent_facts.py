"""All facts from the recent public files, on the cube's division (see pipeline/recent.py)."""

from __future__ import annotations

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.pipeline.recent import latest_month_facts, low_income_facts, unemployment_facts
from raketieto.pipeline.recent_snapshots import diak_facts, homelessness_facts, sotkanet_2019_facts
from raketieto.regions import Division


def recent_facts(catalogue: Catalogue, division: Division) -> pd.DataFrame:
    """Unemployment, low income, Sotkanet 2019, Diak and homelessness facts in one frame."""
    from raketieto.pipeline.demo import population_by_year

    population = population_by_year(division)
    frames = [
        unemployment_facts(division),
        latest_month_facts(division),
        low_income_facts(division),
        sotkanet_2019_facts(catalogue, division, population),
        diak_facts(division),
        homelessness_facts(division),
    ]
    out = pd.concat(frames, ignore_index=True)
    out["derived"] = out["derived"].fillna(False).astype(bool)
    return out
