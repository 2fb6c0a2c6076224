"""An extract end to end: validate, aggregate on the chosen engine, disclose, into the cube."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from raketieto.catalogue import Catalogue
from raketieto.clientdata.facts import client_facts
from raketieto.clientdata.indicators import Engine, client_counts
from raketieto.clientdata.validate import ValidationReport, validate_extract
from raketieto.cube.query import CubeReader
from raketieto.cube.schema import FACT_COLUMNS
from raketieto.cube.store import CubeMissingError
from raketieto.errors import DataError
from raketieto.pipeline.publish import publish_cube
from raketieto.regions import Division
from raketieto.settings import Settings


@dataclass(frozen=True)
class LoadResult:
    """What a load did: the validation report, the facts it made and the cube it wrote."""

    report: ValidationReport
    facts: pd.DataFrame
    cube: Path | None


def extract_facts(
    path: Path, *, division: Division, catalogue: Catalogue, engine: Engine = "duckdb"
) -> tuple[ValidationReport, pd.DataFrame]:
    """Validate the extract at path and turn its accepted rows into disclosure-controlled facts.

    A file holding a direct identifier is refused as a whole (ExtractRefusedError) before
    anything is written anywhere.
    """
    with (
        validate_extract(path, division=division) as extract,
        tempfile.TemporaryDirectory(prefix="raketieto-staged-") as folder,
    ):
        report = extract.report
        if report.rows_accepted == 0:
            raise DataError(
                f"Tiedostossa '{path.name}' ei ollut yhtään hyväksyttyä riviä; "
                "korjaa rivivirheet ja yritä uudelleen."
            )
        staged = extract.write_staged(Path(folder) / "staged.parquet")
        counts = client_counts(staged, engine=engine)
    if counts.empty:
        raise DataError(
            f"Tiedoston '{path.name}' tapahtumista ei saatu yhtään indikaattorin lukua; "
            "odotettiin valmistuneita arviointeja, päätöksiä tai päättyneitä asiakkuuksia."
        )
    facts = client_facts(
        counts,
        division=division,
        catalogue=catalogue,
        synthetic=report.synthetic,
        source_version=f"{path.name} ({report.first_date}–{report.last_date})",
        retrieved_at=dt.datetime.now(dt.UTC),
    )
    return report, facts


def load_extract(
    path: Path, *, settings: Settings, catalogue: Catalogue, division: Division
) -> LoadResult:
    """Put an extract's facts into the cube beside what it holds (previous client data replaced).

    The cube is rebuilt and swapped in atomically by the cube builder; on any error the live
    cube is left as it was.
    """
    report, facts = extract_facts(
        path, division=division, catalogue=catalogue, engine=settings.engine
    )
    kept = _other_facts(settings, catalogue)
    combined = pd.concat([kept, facts], ignore_index=True) if not kept.empty else facts
    cube = publish_cube(combined, settings=settings, catalogue=catalogue, division=division)
    return LoadResult(report=report, facts=facts, cube=cube)


def _other_facts(settings: Settings, catalogue: Catalogue) -> pd.DataFrame:
    """The live cube's own (not aggregated) facts of every indicator not from client data."""
    client_ids = {i.id for i in catalogue.indicators.values() if i.source.kind == "client_data"}
    try:
        with CubeReader.open(settings) as reader:
            facts = reader.facts(sex=None, age_group=None)
    except CubeMissingError:
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    own = facts[~facts["aggregated"].astype(bool) & ~facts["indicator_id"].isin(client_ids)]
    out = own.loc[:, list(FACT_COLUMNS)].copy()
    out["retrieved_at"] = pd.to_datetime(out["retrieved_at"], utc=True)
    return out.reset_index(drop=True)
