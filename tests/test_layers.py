"""The core (everything but cli/ and web/) never imports the web layer or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "raketieto"
OUTER = ("raketieto.web", "raketieto.cli", "fastapi", "starlette", "jinja2", "uvicorn", "typer")
CORE_FILES = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if path.relative_to(PACKAGE).parts[0] not in {"web", "cli", "__main__.py"}
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_files_are_found() -> None:
    assert any(path.parent.name == "cube" for path in CORE_FILES)


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_does_not_import_outer_layers(path: Path) -> None:
    bad = [
        name for name in _imports(path) if any(name == o or name.startswith(o + ".") for o in OUTER)
    ]
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"
