"""The source registry: names to classes, loaded only when asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

from raketieto.errors import NotFoundError, RaketietoError
from raketieto.settings import Settings
from raketieto.sources.base import Source
from raketieto.sources.csvfile import CsvFileSource
from raketieto.sources.registry import available_sources, get_source, source_class


def test_every_registered_source_loads_and_describes_itself() -> None:
    assert available_sources() == ["csv", "sotkanet", "statfin"]
    for name in available_sources():
        source = get_source(name)
        assert isinstance(source, Source)
        assert source.name == name
        described = source.describe()
        assert described.name == name and described.licence and described.attribution


def test_an_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        get_source("sotkanett")
    assert "'sotkanett'" in caught.value.message
    assert all(name in caught.value.full_message() for name in available_sources())


def test_a_broken_entry_is_a_clear_error() -> None:
    with pytest.raises(RaketietoError, match="moduuli:Luokka"):
        source_class("x", {"x": "raketieto.sources.nothing_here:Nope"})
    with pytest.raises(RaketietoError, match="Source"):
        source_class("x", {"x": "raketieto.errors:DataError"})


def test_settings_configure_the_csv_folder(tmp_path: object) -> None:
    source = get_source("csv", Settings(data_dir=tmp_path))  # type: ignore[arg-type]
    assert isinstance(source, CsvFileSource)
    assert source.directory == Settings(data_dir=tmp_path).data_dir / "imports"  # type: ignore[arg-type]


def test_sources_are_imported_lazily() -> None:
    code = (
        "import sys; from raketieto.sources.registry import available_sources; "
        "available_sources(); modules = sys.modules; "
        "print('raketieto.sources.sotkanet' in modules, 'raketieto.sources.statfin' in modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
