"""A cache of raw API answers with their URL, parameters and retrieval time, written atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raketieto.settings import Settings
from raketieto.sources.http import SourceError, display_url, utc_now

_FORMAT = 1


@dataclass(frozen=True)
class CacheEntry:
    """One raw answer exactly as it arrived, with the request that produced it."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    body: dict[str, Any] | None
    status: int
    content_type: str
    retrieved_at: dt.datetime
    text: str


class ResponseCache:
    """Raw answers of one source under data_dir/cache/<source>; offline mode never goes online."""

    def __init__(
        self,
        directory: Path,
        *,
        offline: bool = False,
        max_age: dt.timedelta | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.directory = directory
        self.offline = offline
        self.max_age = max_age
        self._now = now

    @classmethod
    def for_source(
        cls,
        settings: Settings,
        source: str,
        *,
        offline: bool = False,
        max_age: dt.timedelta | None = None,
    ) -> ResponseCache:
        """The cache folder of one source under the settings' cache folder (cache_dir)."""
        return cls(settings.cache_dir / source, offline=offline, max_age=max_age)

    @staticmethod
    def key(
        method: str, url: str, params: Sequence[tuple[str, str]], body: dict[str, Any] | None
    ) -> str:
        """A stable name for a request: the order of repeated parameters does not matter."""
        canonical = json.dumps(
            [method.upper(), url, sorted([k, v] for k, v in params), body],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def path_for(self, key: str) -> Path:
        """Where the entry with this key lives."""
        return self.directory / key[:2] / f"{key}.json"

    def get(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]],
        body: dict[str, Any] | None,
    ) -> CacheEntry | None:
        """The stored entry for this request, or None when there is none."""
        path = self.path_for(self.key(method, url, params, body))
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise SourceError(
                f"Välimuistin tiedosto {path} on vioittunut ({error}); poista se ja hae uudelleen.",
                url=url,
            ) from None
        return _entry_from_json(raw, path)

    def lookup(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]],
        body: dict[str, Any] | None,
    ) -> CacheEntry | None:
        """The entry to serve instead of going online: any entry offline, a fresh one online."""
        entry = self.get(method, url, params, body)
        if self.offline:
            if entry is None:
                shown = display_url(url, params)
                raise SourceError(
                    f"Offline-tilassa välimuistista puuttuu vastaus pyyntöön {method} {shown} "
                    f"(kansio {self.directory}); hae se ensin verkosta ilman --offline-valitsinta.",
                    url=shown,
                )
            return entry
        fresh = (
            entry is not None
            and self.max_age is not None
            and self._now() - entry.retrieved_at <= self.max_age
        )
        return entry if fresh else None

    def store(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]],
        body: dict[str, Any] | None,
        *,
        text: str,
        status: int,
        content_type: str,
        retrieved_at: dt.datetime,
    ) -> CacheEntry:
        """Write an entry so that it is either wholly there or not there at all."""
        entry = CacheEntry(
            method.upper(),
            url,
            tuple((k, v) for k, v in params),
            body,
            status,
            content_type,
            retrieved_at,
            text,
        )
        path = self.path_for(self.key(method, url, params, body))
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(_entry_to_json(entry), ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return entry

    def entries(self) -> list[CacheEntry]:
        """Every stored entry, for listing and inspection."""
        found = []
        for path in sorted(self.directory.glob("*/*.json")):
            with contextlib.suppress(OSError, ValueError, KeyError):
                found.append(_entry_from_json(json.loads(path.read_text("utf-8")), path))
        return found


def _entry_to_json(entry: CacheEntry) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "method": entry.method,
        "url": entry.url,
        "params": [list(pair) for pair in entry.params],
        "body": entry.body,
        "status": entry.status,
        "content_type": entry.content_type,
        "retrieved_at": entry.retrieved_at.isoformat(),
        "text": entry.text,
    }


def _entry_from_json(raw: Any, path: Path) -> CacheEntry:
    try:
        retrieved_at = dt.datetime.fromisoformat(raw["retrieved_at"])
        if retrieved_at.tzinfo is None:
            retrieved_at = retrieved_at.replace(tzinfo=dt.UTC)
        return CacheEntry(
            method=str(raw["method"]),
            url=str(raw["url"]),
            params=tuple((str(k), str(v)) for k, v in raw["params"]),
            body=raw["body"],
            status=int(raw["status"]),
            content_type=str(raw["content_type"]),
            retrieved_at=retrieved_at,
            text=str(raw["text"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SourceError(
            f"Välimuistin tiedosto {path} ei ole odotetun muotoinen ({error!r}); "
            "poista se ja hae uudelleen."
        ) from None
