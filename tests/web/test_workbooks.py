"""County workbooks kept on disk for the live cube: made once, shared by every server process
of the data folder, made afresh for a new cube, never half-written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from raketieto.exports import ExportFormat
from raketieto.exports.shelf import WorkbookShelf
from raketieto.settings import Settings
from tests.api.conftest import make_app
from tests.exports.readback import xlsx_rows

URL = "/vienti/tietopohja/HVA90.xlsx"


@pytest.fixture
def settings(demo_settings: Settings, tmp_path: Path) -> Settings:
    # A data folder of its own: these tests swap its cube. Workbooks other tests kept in the
    # shared demo folder stay behind: each test here starts from an empty shelf.
    data_dir = tmp_path / "var"
    shutil.copytree(demo_settings.data_dir, data_dir, ignore=shutil.ignore_patterns("workbooks"))
    return demo_settings.model_copy(
        update={"data_dir": data_dir, "api_requests_per_minute": 1_000_000}
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(make_app(settings)) as test_client:
        yield test_client


def _kept(settings: Settings) -> list[Path]:
    root = settings.cache_dir / "workbooks"
    return (
        sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []
    )


def _stamp(settings: Settings) -> str:
    stat = os.stat(settings.cube_path)
    return f"{stat.st_ino}-{stat.st_mtime_ns}"


def test_the_workbook_is_made_once_and_kept_for_the_cube(
    client: TestClient, settings: Settings
) -> None:
    first = client.get(URL, params={"lang": "sv"})
    assert first.status_code == 200
    assert first.headers["content-type"] == ExportFormat.XLSX.media_type
    assert first.headers["content-length"] == str(len(first.content))
    assert 'filename="tietopohja-HVA90-' in first.headers["content-disposition"]
    assert {r["area_code"] for r in xlsx_rows(first.content, "sv")} == {"SSS", "HVA90", "KU091"}
    (kept,) = _kept(settings)
    assert kept.parts[:2] == (_stamp(settings), "HVA90-sv")
    assert kept.name == first.headers["content-disposition"].split('"')[1]
    second = client.get(URL, params={"lang": "sv"})
    assert second.content == first.content
    assert second.headers["content-disposition"] == first.headers["content-disposition"]
    # Each language is a workbook of its own.
    assert client.get(URL).status_code == 200
    assert [p.parts[1] for p in _kept(settings)] == ["HVA90-fi", "HVA90-sv"]


def test_another_server_process_serves_the_kept_file_without_making_it(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = client.get(URL).content
    from raketieto.web.api import downloads

    def refuse(*_: object) -> str:
        raise AssertionError("the workbook was made again")

    monkeypatch.setattr(downloads, "write_county_workbook", refuse)
    with TestClient(make_app(settings)) as other:  # a second app on the same data folder
        answer = other.get(URL)
    assert answer.status_code == 200
    assert answer.content == made


def test_a_new_cube_gets_new_workbooks_and_the_old_ones_go(
    client: TestClient, settings: Settings
) -> None:
    client.get(URL)
    old_stamp = _stamp(settings)
    # A refresh: a new cube file renamed over the live one (as cube.store does).
    fresh = settings.cube_path.with_name("fresh.duckdb")
    shutil.copyfile(settings.cube_path, fresh)
    os.replace(fresh, settings.cube_path)
    assert _stamp(settings) != old_stamp
    assert client.get(URL).status_code == 200
    assert [p.parts[0] for p in _kept(settings)] == [_stamp(settings)]


def test_an_unknown_county_is_refused_and_leaves_nothing(
    client: TestClient, settings: Settings
) -> None:
    answer = client.get("/vienti/tietopohja/KU005.xlsx")
    assert answer.status_code == 404
    assert answer.json()["error"]["parameter"] == "county"
    root = settings.cache_dir / "workbooks"
    assert not root.exists() or not any(p for p in root.rglob("*") if p.name.startswith("KU005"))


def test_a_shelf_that_cannot_be_written_still_serves_the_workbook(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WorkbookShelf, "keep", full)
    for _ in range(2):  # made afresh each time
        answer = client.get(URL)
        assert answer.status_code == 200
        assert {r["area_code"] for r in xlsx_rows(answer.content, "fi")} >= {"HVA90"}
    assert _kept(settings) == []
