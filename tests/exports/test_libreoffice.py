"""The Excel file opens in LibreOffice without repair: converting it to PDF succeeds and the PDF
shows the data. Skipped when LibreOffice is not installed (Debian: libreoffice-calc, and
poppler-utils for pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from raketieto.exports import ExportFormat, render
from raketieto.reports.tidy import ValueQuery, select_values
from raketieto.web.format import number
from tests.exports.conftest import Cube

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.slow
@pytest.mark.skipif(OFFICE is None, reason="SKIPPED LOUDLY: LibreOffice is not installed")
@pytest.mark.skipif(PDFTOTEXT is None, reason="SKIPPED LOUDLY: pdftotext is not installed")
def test_libreoffice_converts_the_workbook_and_shows_the_data(cube: Cube, tmp_path: Path) -> None:
    query = ValueQuery(indicators=("population",), level="hva", latest=True)
    table = select_values(cube.reader, cube.catalogue, cube.division, query)
    workbook = tmp_path / "tiedot.xlsx"
    workbook.write_bytes(render(table, ExportFormat.XLSX))
    assert OFFICE is not None and PDFTOTEXT is not None
    done = subprocess.run(
        [
            OFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "tiedot.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    shown = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Lähde: THL / Tilastokeskus, CC BY 4.0" in shown
    first = table.rows[0]
    assert first.area_name in shown
    assert first.value is not None
    # LibreOffice prints with the cell's format (0 decimals for a count) in its own locale.
    digits = f"{first.value:.0f}"
    assert (
        digits in shown.replace(" ", "").replace("\u00a0", "").replace(",", "")
        or number(first.value, 0, "fi") in shown
    )
