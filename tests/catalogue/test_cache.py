"""The catalogue kept on disk between start-ups: read back while its files are unchanged, parsed
again as soon as one changes, and never kept when the files have a problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from raketieto.catalogue import CatalogueError, load_catalogue
from raketieto.catalogue import cache as kept_catalogue
from raketieto.catalogue.cache import fingerprint, load_catalogue_kept

from .edits import replace_line

_POPULATION = "indicators/population.yaml"


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_: object) -> None:
        raise AssertionError("the catalogue was parsed although it was kept")

    monkeypatch.setattr(kept_catalogue, "load_catalogue", refuse)


def _kept_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("catalogue-*.pickle"))


def test_a_kept_catalogue_is_read_back_equal_without_parsing(
    catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    parsed = load_catalogue_kept(catalogue_dir, cache)
    assert [p.name for p in _kept_files(cache)] == [
        f"catalogue-{fingerprint(catalogue_dir)}.pickle"
    ]
    _forbid_parsing(monkeypatch)
    again = load_catalogue_kept(catalogue_dir, cache)
    assert again is not parsed
    assert again.indicators == parsed.indicators == load_catalogue(catalogue_dir).indicators
    assert again.phenomena == parsed.phenomena and again.themes == parsed.themes
    first = next(iter(again.phenomena))
    assert again.indicators_for(first) == parsed.indicators_for(first)


def test_a_changed_definition_is_parsed_again_and_replaces_the_kept_one(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_catalogue_kept(catalogue_dir, cache)
    before = _kept_files(cache)
    path = catalogue_dir / _POPULATION
    replace_line(path, "fi: Väestö 31.12.", "  fi: Väkiluku 31.12.")
    stat = path.stat()  # the same size and time would hide an edit; this one differs in both
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = load_catalogue_kept(catalogue_dir, cache)
    assert changed.indicator("population").label.fi == "Väkiluku 31.12."
    after = _kept_files(cache)
    assert len(after) == 1 and after != before


def test_a_new_file_changes_the_fingerprint(catalogue_dir: Path) -> None:
    before = fingerprint(catalogue_dir)
    (catalogue_dir / "indicators" / "notes.txt").write_text("x", encoding="utf-8")
    assert fingerprint(catalogue_dir) != before


def test_a_catalogue_with_a_problem_is_reported_and_not_kept(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    replace_line(catalogue_dir / _POPULATION, "id: population", "id: Not A Slug")
    with pytest.raises(CatalogueError) as raised:
        load_catalogue_kept(catalogue_dir, cache)
    assert any(
        problem.file == _POPULATION and "Not A Slug" in problem.message
        for problem in raised.value.problems
    )
    assert _kept_files(cache) == []


def test_an_unreadable_kept_file_is_parsed_again_and_replaced(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_catalogue_kept(catalogue_dir, cache)
    (kept,) = _kept_files(cache)
    kept.write_bytes(b"not a pickle")
    again = load_catalogue_kept(catalogue_dir, cache)
    assert again.indicators == load_catalogue(catalogue_dir).indicators
    assert kept.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_costs_only_the_parse(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    found = load_catalogue_kept(catalogue_dir, blocked / "cache")
    assert found.indicators == load_catalogue(catalogue_dir).indicators
