"""Front-end assets: our own static files and the npm packages installed into node_modules.

Vendor files are never copied into the repository. ``node_modules`` is found without a setting
by walking up from this package to the first folder holding ``node_modules/htmx.org`` (the
project root in a source checkout), then from the working directory.
"""

from __future__ import annotations

import functools
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Public name -> path inside node_modules; only these are served.
VENDOR_FILES: dict[str, str] = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vega.min.js": "vega/build/vega.min.js",
    "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
}


@functools.cache
def node_modules() -> Path | None:
    """The node_modules folder of the project, or None when the assets are not installed."""
    starts = [Path(__file__).resolve().parent, Path.cwd().resolve()]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules"
            if (candidate / "htmx.org").is_dir():
                return candidate
    return None


def vendor_path(name: str) -> Path | None:
    """The file behind a public vendor name, or None when unknown or not installed."""
    inner = VENDOR_FILES.get(name)
    root = node_modules()
    if inner is None or root is None:
        return None
    path = root / inner
    return path if path.is_file() else None


def static_path(name: str) -> Path | None:
    """One of our own static files by name (no folders), or None."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC_DIR / name
    return path if path.is_file() else None
