"""Synthetic client-data facts for the demo cube: made by the project's own generator.

Nothing here comes from real persons: the extract is generated (raketieto.clientdata.synth),
aggregated with the same Ibis expressions as a real one, and disclosure-controlled by the same
module, so the demo shows exactly what a real load would publish. Every fact is marked
synthetic=True and its source says so.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.clientdata.facts import client_facts
from raketieto.clientdata.indicators import client_counts
from raketieto.clientdata.synth import generate_extract, write_extract
from raketieto.clientdata.validate import stage_extract
from raketieto.regions import Division

#: The demo publishes one statistical year; the extract starts a year earlier so that the
#: 12-month follow-up of relationships that ended the year before is complete.
DEMO_YEAR = 2024
DEMO_EVENTS = 200_000


def synthetic_client_facts(
    division: Division,
    catalogue: Catalogue,
    *,
    seed: int = 2026,
    events: int = DEMO_EVENTS,
) -> pd.DataFrame:
    """Disclosure-controlled synthetic client-data facts (cube fact format) for DEMO_YEAR."""
    table = generate_extract(
        events, seed=seed, first_year=DEMO_YEAR - 1, last_year=DEMO_YEAR, division=division
    )
    with tempfile.TemporaryDirectory(prefix="raketieto-demo-client-") as folder:
        extract = write_extract(table, Path(folder) / "synthetic.parquet", seed=seed)
        staged = Path(folder) / "staged.parquet"
        stage_extract(extract, staged, division=division)
        counts = client_counts(staged, engine="duckdb")
    counts = counts[counts["year"] == DEMO_YEAR]
    return client_facts(
        counts,
        division=division,
        catalogue=catalogue,
        synthetic=True,
        source_version=f"raketieto.clientdata.synth seed={seed} events={events}",
        retrieved_at=dt.datetime(DEMO_YEAR + 1, 1, 1, tzinfo=dt.UTC),
    )
