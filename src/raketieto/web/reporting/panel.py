"""The qualitative side of the phenomenon view: accepted reports per theme and half-year, and the
approved summaries, for the counties of an area. Only county-level counts and approved texts
are shown; a single report never is. A count of 1–4 is not shown (THL's small-count rule, as
for client data: docs/domain.md), nor the total of its row, from which it could be recovered
by subtraction."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from raketieto.clientdata.audit import SMALL_MAX
from raketieto.errors import RaketietoError
from raketieto.regions import Level
from raketieto.regions.division import COUNTRY_CODE
from raketieto.store import public
from raketieto.web.reporting.services import existing_services, services_for
from raketieto.web.state import AppState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThemeRow:
    """One approved theme of a county and its counts by half-year, as published: None for a
    count of 1–SMALL_MAX, and for the total of a row with such a count."""

    county_code: str
    county_name: str
    title: str
    counts: dict[str, int | None]
    total: int | None

    @property
    def suppressed(self) -> bool:
        """Whether a figure of the row is not shown."""
        return self.total is None


def published_row(
    county_code: str, county_name: str, title: str, counts: dict[str, int]
) -> ThemeRow:
    """The row of a theme's counts with its small counts, and then its total, suppressed."""
    shown: dict[str, int | None] = {
        half: None if 0 < n <= SMALL_MAX else n for half, n in counts.items()
    }
    hidden = any(n is None for n in shown.values())
    return ThemeRow(
        county_code, county_name, title, shown, None if hidden else sum(counts.values())
    )


@dataclass(frozen=True)
class PanelData:
    """What the panel shows for an area and a phenomenon."""

    area_name: str
    county_level_note: bool
    half_years: list[str]
    rows: list[ThemeRow]
    summaries: list[public.PublishedSummary]
    county_names: dict[str, str]

    @property
    def suppressed(self) -> bool:
        """Whether a figure of the table is not shown."""
        return any(row.suppressed for row in self.rows)


def counties_of(state: AppState, region_code: str) -> tuple[list[str], bool]:
    """The counties whose reports the area shows, and whether the area is below county level."""
    division = state.division
    region = division.get(region_code)
    if region.level is Level.COUNTY:
        return [region.code], False
    if region.level is Level.MUNICIPALITY:
        # Reports are only published per county: a municipality shows its county's.
        parent = division.parent(region.code)
        while parent is not None and parent.level is not Level.COUNTY:
            parent = division.parent(parent.code)
        return ([parent.code] if parent is not None else []), True
    counties = division.at_level(Level.COUNTY)
    if region.level is Level.COLLABORATIVE_AREA:
        return [c.code for c in counties if c.parent_code == region.code], False
    return [c.code for c in counties], False


def panel_data(state: AppState, region_code: str, phenomenon_id: str, lang: str) -> PanelData:
    """Counts and summaries for the panel, read from the store's public functions only."""
    counties, below = counties_of(state, region_code)
    names = {code: state.division.get(code).name(lang) for code in counties}
    services = services_for(state)
    services.require_ready()
    with services.factory() as session:
        counts = [
            c
            for c in public.theme_counts(session, phenomenon_id=phenomenon_id)
            if c.county_code in names
        ]
        summaries = [
            s
            for s in public.published_summaries(session, phenomenon_id=phenomenon_id)
            if s.county_code in names
        ]
    half_years = sorted({c.half_year for c in counts if c.half_year})
    themes: dict[int, tuple[str, str, dict[str, int]]] = {}
    for count in counts:
        _county, _title, by_half = themes.setdefault(
            count.theme_id, (count.county_code, count.theme_title, {})
        )
        by_half[count.half_year] = by_half.get(count.half_year, 0) + count.reports
    ordered = sorted(
        (published_row(c, names[c], t, by_half) for c, t, by_half in themes.values()),
        key=lambda r: (r.county_name, r.title),
    )
    area = state.division.get(region_code).name(lang)
    return PanelData(area, below, half_years, ordered, summaries, names)


def phenomenon_panel(state: AppState, region_code: str, phenomenon_id: str, lang: str) -> Markup:
    """The panel's HTML for the phenomenon view (an explanation instead if the store is down).

    The HTML is kept until the store changes (see public_cache); an unavailable store is
    asked again on the next request.
    """
    translations = state.translations
    template = state.templates.get_template("reporting/panel.html")
    context = {
        "_": translations.gettext_for(lang),
        "gettext": translations.gettext_for(lang),
        "ngettext": translations.ngettext_for(lang),
        "lang": lang,
    }

    def rendered() -> Markup:
        data = panel_data(state, region_code, phenomenon_id, lang)
        return Markup(template.render({**context, "data": data}))

    try:
        services = services_for(state)
        services.require_ready()
        return services.public.get(_panel_key(region_code, phenomenon_id, lang), rendered)
    except (RaketietoError, SQLAlchemyError) as error:
        log.warning("reporting panel unavailable: %s", type(error).__name__)
        return Markup(template.render({**context, "data": None}))


def _panel_key(region_code: str, phenomenon_id: str, lang: str) -> tuple[str, str, str, str]:
    return ("panel", region_code, phenomenon_id, lang)


def kept_panel(state: AppState, region_code: str, phenomenon_id: str, lang: str) -> Markup | None:
    """The panel's HTML if it is kept and the store is up, else None (never asks the store)."""
    services = existing_services(state)
    if services is None or services.problem is not None:
        return None
    found = services.public.peek(_panel_key(region_code, phenomenon_id, lang))
    return found if isinstance(found, Markup) else None


def warm(state: AppState) -> None:
    """Open the store and ask its public questions once, so that SQLAlchemy's first-time
    mapping and compiling (some 40 ms) is not a visitor's wait. Nothing is kept."""
    phenomena = list(state.catalogue.phenomena)
    if phenomena:
        panel_data(state, COUNTRY_CODE, phenomena[0], "fi")
