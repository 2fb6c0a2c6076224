"""Helpers for client-data tests: small extracts written as CSV or Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from raketieto.clientdata import schema

Row = dict[str, object]


def event(person: str, kind: str, day: str, **fields: object) -> Row:
    """One extract row with plausible defaults for the columns not given."""
    row: Row = {
        "person_key": person,
        "birth_year": 1980,
        "sex": 1,
        "municipality": "091",
        "event_date": day,
        "event_type": kind,
        "service_task": "working_age",
        "notifier": "client" if kind == "contact" else None,
        "pending_date": None,
        "support_needs": None,
        "service_type": None,
        "assistance_type": None,
    }
    if kind in ("assessment_start", "assessment_end"):
        row["pending_date"] = day
    if kind == "assessment_end":
        row["support_needs"] = ""
    if kind == "service_decision":
        row["service_type"] = "social_work"
    if kind == "social_assistance_decision":
        row["assistance_type"] = "preventive"
    row.update(fields)
    return row


WriteExtract = Callable[..., Path]


@pytest.fixture
def write_extract(tmp_path: Path) -> WriteExtract:
    """Write rows to tmp_path/name (.csv or .parquet) with every column as text."""

    def write(rows: list[Row], name: str = "extract.csv") -> Path:
        frame = pd.DataFrame(rows)
        for column in schema.REQUIRED_COLUMNS + schema.CONDITIONAL_COLUMNS:
            if column not in frame.columns:
                frame[column] = None
        path = tmp_path / name
        if path.suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.astype("string").to_parquet(path, index=False)
        return path

    return write
