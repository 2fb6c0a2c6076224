"""What every request needs, built once per app: settings, catalogue, division, texts, templates."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import duckdb
import jinja2

from raketieto.catalogue import Catalogue
from raketieto.catalogue.cache import settings_catalogue
from raketieto.cube.memory import FactIndex
from raketieto.cube.query import CubeReader
from raketieto.cube.store import cursor_of, open_cube
from raketieto.errors import RaketietoError
from raketieto.exports.shelf import file_stamp
from raketieto.regions import Division, load_division
from raketieto.reports import similar
from raketieto.settings import Settings
from raketieto.web.i18n import Translations, load_translations
from raketieto.web.urls import export_url

WEB_DIR = Path(__file__).resolve().parent
TEMPLATE_DIRS = (
    WEB_DIR / "templates",
    WEB_DIR / "reporting" / "templates",
    WEB_DIR / "api" / "templates",
)
CACHE_SIZE = 256  # pages are 10–200 kB of HTML
# Facts read at start-up (about 50 bytes each): all of a demo-sized cube, a bounded part of a
# national one, whose other indicators are read on first use.
PRELOAD_FACTS = 2_000_000
HELSINKI = ZoneInfo("Europe/Helsinki")

T = TypeVar("T")


def helsinki_today() -> dt.date:
    """Today's date in Finland, where the pages' readers are."""
    return dt.datetime.now(HELSINKI).date()


def build_templates(translations: Translations) -> jinja2.Environment:
    """The Jinja2 environment: our templates first, then the reporting and API helpers' ones."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d)) for d in TEMPLATE_DIRS if d.is_dir()
    ]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg")),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Finnish by default; every page render passes its own _/gettext/ngettext for its language.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translations.gettext_for("fi"), translations.ngettext_for("fi"), newstyle=True
    )
    env.globals["export_url"] = export_url
    return env


def _freeze_long_lived() -> None:
    """Leave what start-up made (catalogue, division, templates, fact index: hundreds of
    thousands of objects) out of every later garbage collection.

    A request allocates tens of thousands of short-lived objects, which sets off collections
    that walk every tracked object; with the start-up objects among them a /values page of a
    thousand rows spent half its time there (p95 120 -> 47 ms on a 10x cube). Objects made
    later are collected as before.
    """
    gc.collect()
    gc.freeze()


@dataclass
class AppState:
    """Shared, read-only state of the web app; stored on ``app.state.raketieto``."""

    settings: Settings
    catalogue: Catalogue
    division: Division
    translations: Translations
    templates: jinja2.Environment
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _connection: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False)
    _index: FactIndex | None = field(default=None, repr=False)
    # Set by the app's start-up thread when everything is ready (web.app._warm).
    warmed: bool = field(default=False, repr=False)
    _cache: OrderedDict[Hashable, object] = field(default_factory=OrderedDict, repr=False)
    _pending: dict[Hashable, threading.Lock] = field(default_factory=dict, repr=False)
    # Today's date for the vintage banners; tests set a clock (tests/clock.py).
    today: Callable[[], dt.date] = field(default=helsinki_today, repr=False)

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        """Load the catalogue, the division and the texts named by settings."""
        translations = load_translations()
        return cls(
            settings=settings,
            catalogue=settings_catalogue(settings),
            division=load_division(settings.division_year),
            translations=translations,
            templates=build_templates(translations),
        )

    def cube_stamp(self) -> tuple[int, int] | None:
        """The live cube file's identity (inode, modification time), None without one: it
        changes whenever a new cube is swapped in."""
        return file_stamp(self.settings.cube_path)

    def _base_connection(self) -> tuple[duckdb.DuckDBPyConnection, FactIndex]:
        """The read-only connection to the live cube and its facts in memory, both renewed
        when a new cube is swapped in."""
        stamp = self.cube_stamp()
        with self._lock:
            if self._connection is None or self._index is None or stamp != self._stamp:
                old = self._connection
                # Raises CubeMissingError (a RaketietoError) when there is no cube yet.
                connection = open_cube(self.settings)
                try:
                    index = FactIndex.load(connection)
                except BaseException:
                    connection.close()
                    raise
                self._connection, self._index, self._stamp = connection, index, stamp
                self._cache.clear()
                if old is not None:
                    old.close()
            return self._connection, self._index

    def cube(self) -> CubeReader:
        """A read-only reader of the live cube for this thread; close it (or use ``with``)."""
        connection, index = self._base_connection()
        return CubeReader(cursor_of(connection), index=index)

    def warm(self) -> None:
        """Compile the templates, find every area's similar areas, open the cube and read its
        facts into memory now, so that the first page need not wait.

        Without a cube there is nothing to read; the pages then say so themselves.
        """
        for name in self.templates.list_templates(filter_func=lambda n: n.endswith(".html")):
            self.templates.get_template(name)
        # The glance's similar areas: the area profiles and each area's nearest areas.
        similar.warm(self.division)
        with contextlib.suppress(RaketietoError):
            _, index = self._base_connection()
            index.preload(PRELOAD_FACTS, first=self.page_indicators())
            _freeze_long_lived()

    def page_indicators(self) -> list[str]:
        """The indicators the phenomena's pages show, the ones they open on first.

        The warm-up reads these before any other, so that on a national cube, too large to
        hold whole, the first visitor of a page does not wait for its indicators' reads.
        """
        phenomena = list(self.catalogue.phenomena.values())  # in display order
        headline = [i for p in phenomena for i in p.headline_indicators]
        members = [
            indicator.id
            for p in phenomena
            for indicators in self.catalogue.indicators_for(p.id).values()
            for indicator in indicators
        ]
        return list(dict.fromkeys([*headline, *members]))

    def readiness(self) -> str:
        """'ok' when the start-up warm-up is done and the live cube is in memory, 'no_cube'
        when there is none, else 'starting'."""
        stamp = self.cube_stamp()
        if stamp is None:
            return "no_cube"
        with self._lock:
            loaded = self._index is not None and self._stamp == stamp
        return "ok" if loaded and self.warmed else "starting"

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() once per key for the current cube; the cube is read-only until swapped.

        Concurrent requests for the same missing key wait for the first one to compute it
        instead of all computing it at once.
        """
        self._base_connection()  # notices a swapped-in cube and drops the old results
        # The date is part of the key: whether a page's data are stale depends on the day.
        full_key = (self._stamp, self.today(), key)
        with self._lock:
            if full_key in self._cache:
                self._cache.move_to_end(full_key)
                return self._cache[full_key]  # type: ignore[return-value]
            pending = self._pending.setdefault(full_key, threading.Lock())
        with pending:
            with self._lock:
                if full_key in self._cache:
                    return self._cache[full_key]  # type: ignore[return-value]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._pending.pop(full_key, None)
                raise
            # Kept and no longer pending in one step: a request arriving in between must find
            # the value, not an empty slot that makes it compute again.
            with self._lock:
                self._cache[full_key] = value
                self._pending.pop(full_key, None)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> object | None:
        """What cached() holds for key for the live cube, or None; never opens or computes.

        Cheap enough for the event loop: the async routes answer a cached page without a
        thread hop, and leave everything else to cached() in a worker thread.
        """
        stamp = self.cube_stamp()
        with self._lock:
            if self._index is None or stamp != self._stamp:
                return None
            full_key = (stamp, self.today(), key)
            found = self._cache.get(full_key)
            if found is not None:
                self._cache.move_to_end(full_key)
            return found

    def built_at(self) -> str:
        """When the live cube was built (ISO time), or '' when there is no cube."""
        try:
            return self.cached(("built_at",), self._read_built_at)
        except RaketietoError:
            return ""

    def _read_built_at(self) -> str:
        with self.cube() as reader:
            return reader.meta().get("built_at", "")
