"""Sources by name; each is imported only when it is first asked for."""

from __future__ import annotations

import importlib

from raketieto.errors import NotFoundError, RaketietoError
from raketieto.settings import Settings
from raketieto.sources.base import Source

#: Name -> "module:Class". A new source is one line here and one module.
SOURCES: dict[str, str] = {
    "sotkanet": "raketieto.sources.sotkanet:SotkanetSource",
    "statfin": "raketieto.sources.statfin:StatFinSource",
    "csv": "raketieto.sources.csvfile:CsvFileSource",
}


def available_sources() -> list[str]:
    """The names of every registered source, sorted."""
    return sorted(SOURCES)


def source_class(name: str, registry: dict[str, str] | None = None) -> type[Source]:
    """The class registered under name; unknown names raise NotFoundError."""
    table = SOURCES if registry is None else registry
    target = table.get(name.strip().lower())
    if target is None:
        raise NotFoundError("lähde", name, table)
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        found = getattr(module, class_name)
    except (ImportError, AttributeError) as error:
        raise RaketietoError(
            f"Lähdettä '{name}' ei voitu ladata kohteesta '{target}' ({error}); "
            "odotettiin muotoa 'moduuli:Luokka'."
        ) from None
    if not (isinstance(found, type) and issubclass(found, Source)):
        raise RaketietoError(f"Kohde '{target}' ei ole lähde (Source-luokan aliluokka).")
    return found


def get_source(
    name: str, settings: Settings | None = None, registry: dict[str, str] | None = None
) -> Source:
    """An instance of the source registered under name, configured from settings when given."""
    cls = source_class(name, registry)
    return cls.from_settings(settings) if settings is not None else cls()
