"""`raketieto catalogue validate` and `list`: exit codes and what they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raketieto.catalogue import load_catalogue
from raketieto.cli.catalogue import app
from raketieto.errors import NotFoundError
from tests.catalogue.edits import replace_line

runner = CliRunner()


def test_validate_shipped_catalogue_exits_zero() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    catalogue = load_catalogue()
    summary = " ".join(result.output.split())
    assert f"{len(catalogue.themes)} teemaa" in summary
    assert f"{len(catalogue.phenomena)} ilmiötä" in summary
    assert f"{len(catalogue.indicators)} indikaattoria" in summary


def test_validate_broken_catalogue_prints_each_problem_and_exits_one(catalogue_dir: Path) -> None:
    first = replace_line(
        catalogue_dir / "indicators" / "population.yaml", "unit: count", "unit: lots"
    )
    second = replace_line(
        catalogue_dir / "indicators" / "gini-disposable-income.yaml",
        "decimals: 1",
        "decimals: -1",
    )
    result = runner.invoke(app, ["validate", "--dir", str(catalogue_dir)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # Sorted by file, then line.
    assert lines[0].startswith(f"indicators/gini-disposable-income.yaml:{second}: decimals: ")
    assert f"indicators/population.yaml:{first}: unit: arvo 'lots' ei kelpaa" in lines[1]
    assert re.search(r"2 ongelmaa", result.output)


def test_validate_missing_directory_exits_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 1


def test_list_phenomena() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    for name in ("Asunnottomuus", "Mielenterveys", "Päihteet ja", "Taloudellinen"):
        assert name in result.output


def test_list_one_phenomenon_in_swedish() -> None:
    result = runner.invoke(
        app, ["list", "--phenomenon", "Taloudellinen tilanne ja toimeentulo", "--lang", "sv"]
    )
    assert result.exit_code == 0, result.output
    assert "Ekonomisk situation och utkomst" in result.output
    assert "sotkanet 493" in result.output


def test_list_unknown_phenomenon_is_a_clear_error() -> None:
    result = runner.invoke(app, ["list", "--phenomenon", "asunottomuus"])
    assert isinstance(result.exception, NotFoundError)
    assert "asunnottomuus" in result.exception.full_message()


def test_list_unknown_language_is_a_clear_error() -> None:
    result = runner.invoke(app, ["list", "--lang", "de"])
    assert isinstance(result.exception, NotFoundError)


@pytest.mark.slow
def test_entry_point_exit_codes(catalogue_dir: Path) -> None:
    code = "from raketieto.cli.main import run; run()"
    ok = subprocess.run(
        [sys.executable, "-c", code, "catalogue", "validate"], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    replace_line(catalogue_dir / "indicators" / "population.yaml", "unit: count", "unit: lots")
    bad = subprocess.run(
        [sys.executable, "-c", code, "catalogue", "validate", "--dir", str(catalogue_dir)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "indicators/population.yaml:" in bad.stdout
    missing = subprocess.run(
        [sys.executable, "-c", code, "catalogue", "list", "--phenomenon", "nothing"],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert "nothing" in missing.stderr
