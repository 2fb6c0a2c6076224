"""A writable copy of the shipped catalogue and helpers to break it on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from raketieto.catalogue import DEFINITIONS


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of the shipped definitions that a test may edit."""
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return target
