"""Sotkanet metadata written into catalogue definitions (fi/sv/en) for a reviewer to copy in."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from raketieto.catalogue import DEFINITIONS, Catalogue, Indicator, load_catalogue
from raketieto.cli import fetch as fetch_cli
from raketieto.sources.cache import ResponseCache
from raketieto.sources.definitions import import_definitions
from raketieto.sources.http import HttpClient
from raketieto.sources.sotkanet import SotkanetSource
from tests.sources.fakeserver import FakeServer

MORTALITY = "mortality-per-100000"


def test_metadata_becomes_a_definition_that_validates(
    catalogue: Catalogue,
    sotkanet: SotkanetSource,
    make_client: Callable[..., HttpClient],
    tmp_path: Path,
) -> None:
    shipped = (DEFINITIONS / "indicators" / f"{MORTALITY}.yaml").read_text(encoding="utf-8")
    with make_client() as client:
        report = import_definitions(
            [catalogue.indicator(MORTALITY)],
            tmp_path / "out",
            source=sotkanet,
            client=client,
            cache=ResponseCache(tmp_path / "cache"),
        )
    assert report.ok, report.problems
    assert report.written == [tmp_path / "out" / f"{MORTALITY}.yaml"]
    written = yaml.safe_load(report.written[0].read_text(encoding="utf-8"))
    indicator = Indicator.model_validate(written)
    assert indicator.definition.fi.startswith("Indikaattori ilmaisee kuolleiden lukumäärän")
    assert indicator.definition.sv.startswith("Indikatorn visar antalet")
    assert indicator.definition.en.startswith("The indicator gives the number of deaths")
    assert indicator.caveats is not None and indicator.caveats.fi.startswith("Kuolemansyy")
    assert indicator.source.organisation_name("en") == "Statistics Finland"
    assert indicator.source.verified_by is not None and "2025-04-29" in indicator.source.verified_by
    # What the catalogue says beyond the definition is kept as it was.
    assert indicator.memberships == catalogue.indicator(MORTALITY).memberships
    assert (DEFINITIONS / "indicators" / f"{MORTALITY}.yaml").read_text("utf-8") == shipped


def test_a_written_definition_can_replace_the_catalogue_file(
    catalogue: Catalogue,
    sotkanet: SotkanetSource,
    make_client: Callable[..., HttpClient],
    tmp_path: Path,
) -> None:
    copy = tmp_path / "catalogue"
    shutil.copytree(DEFINITIONS, copy)
    with make_client() as client:
        report = import_definitions(
            [catalogue.indicator(MORTALITY)], tmp_path / "out", source=sotkanet,
            client=client, cache=None,
        )  # fmt: skip
    shutil.copyfile(report.written[0], copy / "indicators" / f"{MORTALITY}.yaml")
    reloaded = load_catalogue(copy)
    assert reloaded.indicator(MORTALITY).definition.en.startswith("The indicator gives")


def test_an_unknown_id_is_a_problem_naming_it(
    catalogue: Catalogue,
    sotkanet: SotkanetSource,
    make_client: Callable[..., HttpClient],
    tmp_path: Path,
) -> None:
    with make_client() as client:
        report = import_definitions(
            [catalogue.indicator("low-income-rate-pct"), catalogue.indicator(MORTALITY)],
            tmp_path,
            source=sotkanet,
            client=client,
            cache=None,
        )
    assert [p.indicator_id for p in report.problems] == ["low-income-rate-pct"]
    assert "indicators/3099" in report.problems[0].reason
    assert "HTTP 404" in report.problems[0].reason
    assert [p.name for p in report.written] == [f"{MORTALITY}.yaml"]


@pytest.fixture
def pointed_cli(
    monkeypatch: pytest.MonkeyPatch, server: FakeServer, sotkanet: SotkanetSource, tmp_path: Path
) -> Path:
    """The fetch command with Sotkanet on the loopback server and a fresh data folder."""
    monkeypatch.setenv("RAKETIETO_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(fetch_cli, "sotkanet_for", lambda settings: sotkanet)
    monkeypatch.setattr(
        fetch_cli, "client_for", lambda source, settings: HttpClient(min_interval=0)
    )
    return tmp_path


def test_the_cli_writes_definitions_then_works_offline(
    pointed_cli: Path, server: FakeServer
) -> None:
    out = pointed_cli / "out"
    args = ["--definitions", str(out), "--indicator", MORTALITY]
    result = CliRunner().invoke(fetch_cli.app, args)
    assert result.exit_code == 0, result.output
    assert (out / f"{MORTALITY}.yaml").exists()
    asked = len(server.seen)
    (out / f"{MORTALITY}.yaml").unlink()
    again = CliRunner().invoke(fetch_cli.app, [*args, "--offline"])
    assert again.exit_code == 0, again.output
    assert len(server.seen) == asked  # from the cache alone
    assert (out / f"{MORTALITY}.yaml").exists()


def test_the_cli_refuses_a_selection_without_sotkanet_ids(pointed_cli: Path) -> None:
    result = CliRunner().invoke(
        fetch_cli.app, ["--definitions", str(pointed_cli / "out"), "-i", "homeless-families"]
    )
    assert result.exit_code != 0
    assert "homeless-families" in str(result.exception)
    assert not (pointed_cli / "out").exists()
