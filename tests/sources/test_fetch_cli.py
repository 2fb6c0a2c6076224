"""`raketieto fetch`: options, progress, the report, and the exit code when nothing was built."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from raketieto.cli import fetch as fetch_cli
from raketieto.cli import main
from raketieto.errors import NotFoundError, RaketietoError
from raketieto.pipeline import refresh as refresh_module
from raketieto.sources.http import HttpClient
from tests.sources.conftest import sources_for
from tests.sources.fakeserver import FakeServer


@pytest.mark.parametrize(
    ("text", "years"),
    [("2015-2018", [2015, 2016, 2017, 2018]), ("2020", [2020]),
     ("2010, 2012-2013", [2010, 2012, 2013]), (None, None), ("", None)],
)  # fmt: skip
def test_years(text: str | None, years: list[int] | None) -> None:
    assert fetch_cli.parse_years(text) == years


@pytest.mark.parametrize("text", ["2015-", "viime vuosi", "2020-2015"])
def test_bad_years_are_one_clear_error(text: str) -> None:
    with pytest.raises(RaketietoError, match="Vuosiv"):
        fetch_cli.parse_years(text)


def test_offline_without_a_cache_exits_3_and_names_the_missing_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(
        fetch_cli.app,
        ["--indicator", "social-assistance-recipients-pct", "--offline", "--years", "2010-2011"],
    )
    assert result.exit_code == fetch_cli.EXIT_NOT_BUILT
    assert "edellinen kuutio on edelleen käytössä" in result.output
    assert "https://sotkanet.fi/rest/1.1/regions" in result.output
    assert not (tmp_path / "cube" / "current.duckdb").exists()


def test_an_unknown_source_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(fetch_cli.app, ["--source", "kelasto"])
    assert isinstance(result.exception, NotFoundError)
    assert "kelasto" in result.exception.message


def test_a_successful_fetch_swaps_in_a_cube(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FakeServer
) -> None:
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    pointed = functools.partial(
        refresh_module.refresh,
        source_objects=sources_for(server, tmp_path),
        client_factory=lambda source: HttpClient(min_interval=0.0),
    )
    monkeypatch.setattr(fetch_cli, "refresh", pointed)
    result = CliRunner().invoke(
        fetch_cli.app,
        ["-s", "sotkanet", "-i", "social-assistance-recipients-pct", "-y", "2010-2011"],
    )
    assert result.exit_code == 0, result.output
    assert "Uusi kuutio otettu käyttöön" in result.output
    # One progress bar per source, each run to its end.
    assert "sotkanet: valmis" in result.output and "statfin: valmis" in result.output
    assert "1/1" in result.output
    assert (tmp_path / "cube" / "current.duckdb").exists()


# --- the mounted command: bad input is one sentence and exit code 2 ----------------------------


def _run_main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run `raketieto <args>` in this process through the real entry point."""
    monkeypatch.setattr(sys, "argv", ["raketieto", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as ended:
        main.run()
    captured = capsys.readouterr()
    code = ended.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "bad", "hint"),
    [
        (["--source", "kelasto"], "kelasto", "sotkanet"),
        (["--phenomenon", "asunottomuus"], "asunottomuus", "asunnottomuus"),
        (["--indicator", "populaton"], "populaton", "population"),
        (["--years", "2020-2015"], "2020-2015", "2015-2024"),
        (["--years", "viime vuosi"], "viime vuosi", "2015-2024"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(
    args: list[str],
    bad: str,
    hint: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    code, out, err = _run_main(["fetch", *args], monkeypatch, capsys)
    message = " ".join(err.split())
    assert code == 2
    assert "Traceback" not in out + err
    assert bad in message and hint in message, message
    assert message.startswith("Virhe:") and message.count("Virhe:") == 1
    assert not (tmp_path / "cache").exists()  # refused before anything was fetched


def test_fetch_is_mounted_with_its_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run_main(["fetch", "--help"], monkeypatch, capsys)
    assert code == 0
    for option in ("--source", "--phenomenon", "--indicator", "--offline", "--years", "--describe"):
        assert option in out


# --- --describe: what would be fetched, and which keys are unverified ----------------------------


def test_describe_shows_unverified_ids_without_going_online(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path))
    # A console of known width: the shared one fixed its width when the process started.
    monkeypatch.setattr(fetch_cli, "console", Console(width=250))
    result = CliRunner().invoke(fetch_cli.app, ["--describe", "-p", "mielenterveys"])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "TARKISTAMATTA" in rows["psychiatric-outpatient-visits-per-1000"]
    assert "sotkanet 1272" in rows["psychiatric-outpatient-visits-per-1000"]
    assert "tarkistettu" in rows["psychiatric-inpatients-0-17-per-1000"]
    assert "TARKISTAMATTA" not in rows["psychiatric-inpatients-0-17-per-1000"]
    assert "tunnistetta on tarkistamatta" in result.output
    assert "CC BY 4.0" in result.output
    assert not (tmp_path / "cache").exists()
