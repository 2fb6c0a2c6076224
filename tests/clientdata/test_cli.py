"""`raketieto clientdata`: validate, synth and load, and how they fail on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from raketieto.privacy import make_hetu
from raketieto.settings import Settings
from tests.clientdata.conftest import WriteExtract, event


def run(args: list[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RAKETIETO_DATA_DIR": str(settings.data_dir), "COLUMNS": "200"}
    environment.pop("RAKETIETO_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "raketieto", "clientdata", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def test_validate_lists_row_errors_and_a_summary(
    write_extract: WriteExtract, settings: Settings
) -> None:
    rows = [
        event("P1", "contact", "2024-01-10"),
        event("P2", "contact", "2024-01-11", sex=7),
        event("P3", "contact", "2024-13-01"),
    ]
    result = run(["validate", str(write_extract(rows))], settings)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "luettu 3, hyväksytty 1, hylätty 2" in out
    assert "1 (mies) tai 2 (nainen)" in out and "2024-13-01" in out


def test_identity_code_in_a_free_column_refuses_the_file_and_stores_nothing(
    write_extract: WriteExtract, settings: Settings
) -> None:
    import datetime as dt

    code = make_hetu(dt.date(1985, 6, 15), 123)
    rows = [event(f"P{i}", "contact", "2024-01-10", note="ok") for i in range(30)]
    rows[17]["note"] = f"soitti, hetu {code}"
    result = run(["load", str(write_extract(rows))], settings)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    message = " ".join(result.stderr.split())
    assert "hylättiin kokonaan" in message and "henkilötunnus" in message
    assert code not in result.stderr + result.stdout
    assert not settings.cube_path.exists()


def test_missing_file_is_one_sentence(settings: Settings, tmp_path: Path) -> None:
    result = run(["validate", str(tmp_path / "nothing.csv")], settings)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "nothing.csv" in result.stderr


def test_synth_writes_a_labelled_synthetic_extract(settings: Settings, tmp_path: Path) -> None:
    extract = tmp_path / "synthetic.parquet"
    made = run(["synth", "--out", str(extract), "--events", "3000", "--seed", "5"], settings)
    assert made.returncode == 0, made.stderr
    assert "SYNTEETTINEN" in made.stdout
    rows = duckdb.sql(f"SELECT count(*), bool_and(synthetic) FROM '{extract}'").fetchall()
    assert rows == [(3000, True)]


def test_load_puts_disclosure_controlled_facts_into_the_cube(
    write_extract: WriteExtract, settings: Settings
) -> None:
    rows = []
    for i in range(60):
        municipality = "091" if i < 45 else "049"
        person = f"P{i}"
        needs = "housing;financial" if i % 3 else "financial"
        rows += [
            event(person, "contact", "2024-02-01", municipality=municipality, sex=1 + i % 2),
            event(
                person,
                "assessment_end",
                "2024-03-15",
                pending_date="2024-02-01",
                support_needs=needs,
                municipality=municipality,
                sex=1 + i % 2,
            ),
        ]
    loaded = run(["load", str(write_extract(rows))], settings)
    assert loaded.returncode == 0, loaded.stderr
    connection = duckdb.connect(str(settings.cube_path), read_only=True)
    try:
        bad = connection.execute(
            "SELECT count(*) FROM facts WHERE synthetic OR "
            "(suppressed AND (numerator IS NOT NULL OR suppression_reason IS NULL)) OR "
            "(NOT suppressed AND numerator BETWEEN 1 AND 4)"
        ).fetchone()
        levels = connection.execute("SELECT DISTINCT level FROM facts ORDER BY 1").fetchall()
        country = connection.execute(
            "SELECT numerator, ci_lower IS NOT NULL FROM facts WHERE region_code = 'SSS' "
            "AND indicator_id = 'financial-support-need-per-1000' AND sex = 'total' "
            "AND age_group = 'total'"
        ).fetchall()
    finally:
        connection.close()
    assert bad == (0,)
    assert [lv for (lv,) in levels] == ["country", "hva", "municipality", "yta"]
    assert country == [(60.0, True)]
