"""`raketieto export`: writes the whole file or nothing; bad input is one sentence, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from raketieto.settings import Settings


def _run(settings: Settings, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAKETIETO_DATA_DIR": str(settings.data_dir), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "raketieto", "export", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_export_writes_a_county_workbook(demo_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "kb.xlsx"
    done = _run(
        demo_settings, "--region", "HVA90", "--format", "xlsx", "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Tietoja", "Tiedot", "Määritelmät", "Alueet"]
    codes = {row[0] for row in book["Tiedot"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"SSS", "HVA90", "KU091"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.xlsx"], "no temporary file left"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--region", "Atlantis"], "Atlantis"),
        (["--region", "HVA05", "--format", "xls"], "xls"),
        (["--region", "HVA05", "--lang", "de"], "de"),
        (["--region", "HVA05", "--out", "/no/such/folder/x.xlsx"], "/no/such/folder"),
    ],
)
def test_bad_input_is_one_sentence(
    demo_settings: Settings, tmp_path: Path, args: list[str], named: str
) -> None:
    done = _run(demo_settings, *args, cwd=tmp_path)
    assert done.returncode == 2
    assert named in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
