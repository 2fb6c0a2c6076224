"""`raketieto fetch`: options, progress, the report, and the exit code when nothing was built."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raketieto.cli import fetch as fetch_cli
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
    assert (tmp_path / "cube" / "current.duckdb").exists()
