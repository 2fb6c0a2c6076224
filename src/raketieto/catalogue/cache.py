"""The checked catalogue kept on disk, so that a server's start-up need not parse every YAML file.

Parsing costs about 1.5 ms a file (PyYAML builds its nodes and values in Python): nothing for
the shipped catalogue's hundred files, but 18 s for a national one of 11,000 indicators, paid
again by every server process. A catalogue that loaded without problems is written once as a
pickle named by a fingerprint of its folder (every file's path, size and modification time)
and of the catalogue code that made it, and read back while neither has changed. Only a
catalogue that loaded cleanly is kept, so problems are always reported from the files
themselves. The file is the service's own, in its own cache folder; one that cannot be read
is set aside and the catalogue parsed again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from raketieto.catalogue.catalogue import Catalogue
from raketieto.catalogue.loader import DEFINITIONS, load_catalogue
from raketieto.settings import Settings

log = logging.getLogger(__name__)

#: Raised when the pickled form of a catalogue changes in a way the code fingerprint misses.
_FORMAT = b"raketieto-catalogue-1"
_CODE = Path(__file__).parent
_PREFIX = "catalogue-"


def fingerprint(directory: Path | None = None) -> str:
    """A digest of the catalogue folder's files (path, size, modification time) and of the
    catalogue code: it changes whenever a definition or the code reading it does."""
    root = Path(directory) if directory is not None else DEFINITIONS
    digest = hashlib.blake2b(_FORMAT, digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0".encode())
            digest.update(f"{stat.st_mtime_ns}\n".encode())
    for source in sorted(_CODE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def settings_catalogue(settings: Settings) -> Catalogue:
    """The catalogue the settings name, kept in their cache folder (the server, the build)."""
    return load_catalogue_kept(settings.catalogue_dir, settings.cache_dir / "catalogue")


def load_catalogue_kept(directory: Path | None, cache_dir: Path) -> Catalogue:
    """The catalogue in directory, read from cache_dir when kept there for the same files and
    code, else parsed (CatalogueError lists every problem) and kept for the next start."""
    key = fingerprint(directory)
    kept = cache_dir / f"{_PREFIX}{key}.pickle"
    try:
        with kept.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, Catalogue):
            return found
        log.warning("catalogue cache %s holds no catalogue; parsing the files", kept)
    except FileNotFoundError:
        pass
    except Exception as error:  # a truncated or foreign file: parse again and replace it
        log.warning("catalogue cache %s unreadable (%s); parsing the files", kept, error)
    catalogue = load_catalogue(directory)
    _keep(catalogue, cache_dir, kept)
    return catalogue


def _keep(catalogue: Catalogue, cache_dir: Path, kept: Path) -> None:
    # Written beside its final name and renamed: a reader sees the whole file or none; the
    # older fingerprints' files go. A folder that cannot be written only costs the next start.
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".catalogue-")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(catalogue, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, kept)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in cache_dir.glob(f"{_PREFIX}*.pickle"):
            if old != kept:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("catalogue not kept in %s: %s", cache_dir, error)
