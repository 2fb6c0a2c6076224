"""Helpers that edit a copied catalogue line by line, returning the line they touched."""

from __future__ import annotations

from pathlib import Path


def line_of(path: Path, text: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after start that contains text."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number >= start and text in line:
            return number
    raise AssertionError(f"{text!r} not found in {path}")


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first line containing old with new (whole line); return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = line_of(path, old)
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


def delete_line(path: Path, old: str) -> int:
    """Delete the first line containing old; return the number it had."""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = line_of(path, old)
    del lines[number - 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number
