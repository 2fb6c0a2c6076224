"""A large cube goes live with every county's workbook in every language already on the shelf:
made from the finished cube file before the swap, found under the live file's identity after
it, and sent by the download route without being made again. The demo facts stand for a large
cube here: AHEAD_MIN_FACTS is lowered below them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from raketieto.catalogue import Catalogue, load_catalogue
from raketieto.catalogue.models import LANGS
from raketieto.cube.query import CubeReader
from raketieto.exports import county_workbooks
from raketieto.exports.county_workbooks import (
    AHEAD_MIN_FACTS,
    PREMADE_LANGUAGES,
    fact_count,
    shelf_of,
    workbook_key,
    write_county_workbook,
)
from raketieto.exports.shelf import CubeStamp, WorkbookShelf, file_stamp
from raketieto.pipeline.demo import demo_facts
from raketieto.pipeline.publish import publish_cube
from raketieto.regions import Division, Level, load_division
from raketieto.settings import Settings
from tests.api.conftest import make_app
from tests.exports.readback import xlsx_rows

# One worker publishes the module's cube once (66 workbooks) for every test that reads it.
pytestmark = pytest.mark.xdist_group("premade")

INDICATORS = ["population", "social-assistance-recipients-pct"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def division() -> Division:
    return load_division(2026)


@pytest.fixture(scope="module")
def facts(catalogue: Catalogue, division: Division) -> pd.DataFrame:
    every = demo_facts(catalogue, division)
    return every[every["indicator_id"].isin(INDICATORS)].reset_index(drop=True)


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", api_requests_per_minute=1_000_000)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo facts count as a large cube; only the Finnish workbooks are made, unless a
    test wants the others too."""
    monkeypatch.setattr(county_workbooks, "AHEAD_MIN_FACTS", 1)
    monkeypatch.setattr(county_workbooks, "KEEP_FREE_BYTES", 0)  # whatever this disk has free
    monkeypatch.setattr(county_workbooks, "PREMADE_LANGUAGES", ("fi",))


def _counties(division: Division) -> list[str]:
    return [c.code for c in division.at_level(Level.COUNTY)]


@dataclass(frozen=True)
class Published:
    settings: Settings
    # What the shelf held the moment the cube went live (when after_swap was called).
    at_swap: frozenset[str]


def _shelf_keys(settings: Settings) -> frozenset[str]:
    root = shelf_of(settings).root
    return (
        frozenset(p.name for p in root.glob("*/*") if p.is_dir()) if root.exists() else frozenset()
    )


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
) -> Published:
    settings = _settings(tmp_path_factory.mktemp("published"))
    at_swap: set[str] = set()

    after_swap = county_workbooks.WorkbooksAhead.after_swap

    def later(self: county_workbooks.WorkbooksAhead) -> None:
        assert file_stamp(settings.cube_path) is not None  # the cube is live
        at_swap.update(_shelf_keys(settings))
        after_swap(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(county_workbooks, "AHEAD_MIN_FACTS", 1)
        patch.setattr(county_workbooks, "KEEP_FREE_BYTES", 0)
        patch.setattr(county_workbooks.WorkbooksAhead, "after_swap", later)
        publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    return Published(settings, frozenset(at_swap))


def test_every_county_has_its_workbook_in_every_language_when_the_cube_goes_live(
    published: Published, division: Division
) -> None:
    counties = _counties(division)
    assert len(counties) == 22  # 21 wellbeing services counties and Helsinki (2026)
    assert PREMADE_LANGUAGES == ("fi", "sv", "en")
    assert published.at_swap == {workbook_key(c, lang) for c in counties for lang in LANGS}


def test_the_live_cubes_workbooks_are_found_under_its_identity(
    published: Published, division: Division
) -> None:
    settings = published.settings
    shelf = shelf_of(settings)
    stamp = file_stamp(settings.cube_path)
    assert stamp is not None
    for lang in LANGS:
        for county in _counties(division):
            kept = shelf.find(stamp, workbook_key(county, lang))
            assert kept is not None, (county, lang)
            assert kept.name.startswith(f"tietopohja-{county}-") and kept.name.endswith(".xlsx")
    # Nothing else on the shelf: one cube, one folder.
    assert [p.name for p in shelf.root.iterdir()] == [f"{stamp[0]}-{stamp[1]}"]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_premade_workbook_holds_what_one_made_now_holds(
    published: Published, catalogue: Catalogue, division: Division, lang: str
) -> None:
    settings = published.settings
    stamp = file_stamp(settings.cube_path)
    assert stamp is not None
    kept = shelf_of(settings).find(stamp, workbook_key("HVA90", lang))
    assert kept is not None
    fresh = io.BytesIO()
    with CubeReader.open(settings) as reader:
        write_county_workbook(reader, catalogue, division, "HVA90", lang, fresh)
    rows = xlsx_rows(kept.path.read_bytes(), lang)
    assert rows == xlsx_rows(fresh.getvalue(), lang)
    assert {r["area_code"] for r in rows} >= {"SSS", "HVA90", "KU091"}
    assert {r["indicator_id"] for r in rows} == set(INDICATORS)


def test_a_small_cube_has_its_workbooks_made_on_request(
    tmp_path: Path, facts: pd.DataFrame, catalogue: Catalogue, division: Division
) -> None:
    settings = _settings(tmp_path)
    publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert fact_count(settings.cube_path) < AHEAD_MIN_FACTS
    assert _shelf_keys(settings) == frozenset()
    with TestClient(make_app(settings)) as test_client:
        answer = test_client.get("/vienti/tietopohja/HVA90.xlsx?lang=sv")
    assert answer.status_code == 200
    assert _shelf_keys(settings) == {workbook_key("HVA90", "sv")}


@pytest.fixture
def client(published: Published) -> Iterator[TestClient]:
    with TestClient(make_app(published.settings)) as test_client:
        yield test_client


def test_the_download_sends_the_premade_file_without_making_it(
    client: TestClient, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    from raketieto.web.api import downloads

    def refuse(*_: object) -> str:
        raise AssertionError("the workbook was made again")

    monkeypatch.setattr(downloads, "write_county_workbook", refuse)
    stamp = file_stamp(published.settings.cube_path)
    assert stamp is not None
    kept = shelf_of(published.settings).find(stamp, workbook_key("HVA13", "fi"))
    assert kept is not None
    answer = client.get("/vienti/tietopohja/HVA13.xlsx")
    assert answer.status_code == 200
    assert answer.content == kept.path.read_bytes()
    assert answer.headers["content-disposition"] == f'attachment; filename="{kept.name}"'


def _live(
    tmp_path: Path, facts: pd.DataFrame, catalogue: Catalogue, division: Division
) -> tuple[Settings, CubeStamp]:
    """A published cube in a data folder of its own, and its identity."""
    settings = _settings(tmp_path)
    publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    live = file_stamp(settings.cube_path)
    assert live is not None
    return settings, live


def _only_the_live_cube_and_its_workbooks(
    settings: Settings, live: CubeStamp, division: Division
) -> None:
    """After a failed publish: the cube of live is still live and alone in its folder, and the
    shelf holds its workbooks and no other cube's."""
    assert file_stamp(settings.cube_path) == live
    assert [p.name for p in settings.cube_path.parent.iterdir()] == [settings.cube_path.name]
    shelf = shelf_of(settings)
    assert [p.name for p in shelf.root.iterdir()] == [f"{live[0]}-{live[1]}"]
    assert all(shelf.find(live, workbook_key(c, "fi")) for c in _counties(division))


def test_a_publish_failing_while_making_workbooks_keeps_the_live_cube_and_its_workbooks(
    large: None,
    tmp_path: Path,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, live = _live(tmp_path, facts, catalogue, division)
    made: list[str] = []
    real = county_workbooks.write_county_workbook

    def third_fails(*args: object, **kwargs: object) -> str:
        made.append(str(args[3]))
        if len(made) == 3:
            raise RuntimeError("the cube file went away")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(county_workbooks, "write_county_workbook", third_fails)
    with pytest.raises(RuntimeError, match="went away"):
        publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert len(made) == 3
    # The two workbooks made of the cube that never went live are gone with it.
    _only_the_live_cube_and_its_workbooks(settings, live, division)


def test_a_shelf_that_cannot_be_written_does_not_stop_the_cube(
    large: None,
    tmp_path: Path,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WorkbookShelf, "keep", full)
    settings = _settings(tmp_path)
    with caplog.at_level(logging.WARNING):
        live = publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert live == settings.cube_path and live.exists()
    assert "county workbooks not made ahead" in caplog.text
    root = shelf_of(settings).root
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_making_ahead_stops_short_of_filling_the_disk(
    large: None,
    tmp_path: Path,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(tmp_path)
    asked: list[Path] = []

    def filling(path: Path) -> SimpleNamespace:
        # The disk fills as the workbooks are made: room for three, then less than is kept free.
        asked.append(path)
        return SimpleNamespace(
            free=county_workbooks.KEEP_FREE_BYTES + (1 if len(asked) <= 3 else -1)
        )

    monkeypatch.setattr(county_workbooks.shutil, "disk_usage", filling)
    with caplog.at_level(logging.WARNING):
        live = publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert live == settings.cube_path and live.exists()
    assert "county workbooks not made ahead" in caplog.text and "kept free" in caplog.text
    assert len(list(shelf_of(settings).root.rglob("*.xlsx"))) == 3
    assert all(p.exists() for p in asked)  # asked of the folder, or its nearest that exists


def test_a_language_that_cannot_be_written_leaves_the_cube_live_and_is_made_on_request(
    tmp_path: Path,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(tmp_path)
    real = county_workbooks.write_county_workbook

    def swedish_fails(*args: object, **kwargs: object) -> str:
        if args[4] == "sv":
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(county_workbooks, "write_county_workbook", swedish_fails)
    monkeypatch.setattr(county_workbooks, "AHEAD_MIN_FACTS", 1)
    monkeypatch.setattr(county_workbooks, "KEEP_FREE_BYTES", 0)  # whatever this disk has free
    with caplog.at_level(logging.WARNING):
        live = publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert live == settings.cube_path
    stamp = file_stamp(live)
    assert stamp is not None
    assert "county workbooks not made ahead" in caplog.text
    shelf = shelf_of(settings)
    assert all(shelf.find(stamp, workbook_key(c, "fi")) for c in _counties(division))
    assert shelf.find(stamp, workbook_key("HVA01", "sv")) is None
    monkeypatch.setattr(county_workbooks, "write_county_workbook", real)
    with TestClient(make_app(settings)) as test_client:
        answer = test_client.get("/vienti/tietopohja/HVA01.xlsx?lang=sv")
    assert answer.status_code == 200
    assert shelf.find(stamp, workbook_key("HVA01", "sv")) is not None


def test_workbooks_are_not_made_of_a_cube_file_replaced_while_it_is_opened(
    published: Published,
    catalogue: Catalogue,
    division: Division,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stamps = iter([(1, 1), (2, 2)])
    monkeypatch.setattr(county_workbooks, "file_stamp", lambda _path: next(stamps))
    shelf = WorkbookShelf(tmp_path / "shelf")
    with pytest.raises(RuntimeError, match="was replaced"):
        county_workbooks.make_county_workbooks(
            published.settings.cube_path, shelf, catalogue, division, ("fi",)
        )
    assert not shelf.root.exists()


def test_a_swap_that_fails_leaves_the_live_cube_and_no_build_or_workbooks_behind(
    large: None,
    tmp_path: Path,
    facts: pd.DataFrame,
    catalogue: Catalogue,
    division: Division,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from raketieto.cube import build

    settings, live = _live(tmp_path, facts, catalogue, division)
    made_for: list[Path] = []
    real_ahead = county_workbooks.WorkbooksAhead.before_swap

    def ahead(self: county_workbooks.WorkbooksAhead, cube_file: Path) -> None:
        made_for.append(cube_file)
        real_ahead(self, cube_file)

    def swap_fails(built: Path, _settings: Settings) -> Path:
        assert built.exists()
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(county_workbooks.WorkbooksAhead, "before_swap", ahead)
    monkeypatch.setattr(build, "swap_in", swap_fails)
    with pytest.raises(OSError, match="Input/output"):
        publish_cube(facts, settings=settings, catalogue=catalogue, division=division)
    assert len(made_for) == 1  # the new cube's workbooks were made, then the swap failed
    _only_the_live_cube_and_its_workbooks(settings, live, division)
