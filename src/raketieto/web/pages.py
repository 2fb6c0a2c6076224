"""Rendering a page: the per-request language, texts, formatters and URL helpers for templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from raketieto.errors import RaketietoError
from raketieto.regions import Level
from raketieto.reports.cells import Cell
from raketieto.reports.series import AreaSeries
from raketieto.web import format as fmt
from raketieto.web.i18n import LANGUAGE_NAMES, LANGUAGES, pick_language
from raketieto.web.sourcetext import source_text
from raketieto.web.state import AppState
from raketieto.web.summaries import Labels
from raketieto.web.urls import url_with


def request_language(request: Request) -> str:
    """The language the request asks for in ?lang= (Finnish by default)."""
    return pick_language(request.query_params.get("lang"))


_LEVELS = {level.value for level in Level}


def series_rows(series: list[AreaSeries]) -> list[tuple[int, list[Cell | None]]]:
    """The series as table rows: newest year first, one cell (or None) per area."""
    by_area = [{p.year: p for p in s.points} for s in series]
    years = sorted({year for points in by_area for year in points}, reverse=True)
    return [(year, [points.get(year) for points in by_area]) for year in years]


class Formatter:
    """Number and date formatting bound to one language, for templates.

    The cell helpers are Python rather than template macros: a page shows hundreds of cells,
    and a Jinja macro call costs several times a function call.
    """

    def __init__(self, lang: str, labels: Labels) -> None:
        self.lang = lang
        self.labels = labels

    def value(self, cell: Cell | None, decimals: int) -> Markup:
        """A cell's value as a span: the number, or why it is suppressed or missing."""
        labels = self.labels
        if cell is not None and cell.suppressed:
            reason = labels.suppressed(cell.suppression_reason)
            hidden = Markup('<span class="suppressed">%s</span>') % reason
            return hidden + self.synthetic(cell.synthetic)
        if cell is None or cell.value is None:
            _ = labels._
            return Markup('<span class="missing">%s</span>') % _("ei tietoa")
        shown = Markup('<span class="value">%s</span>') % self.number(cell.value, decimals)
        return shown + self.synthetic(cell.synthetic)

    def synthetic(self, flag: bool) -> Markup:
        """The synthetic label beside a number that is synthetic, else nothing."""
        if not flag:
            return Markup("")
        return Markup(' <span class="synthetic-tag">%s</span>') % self.labels._("synteettinen")

    def cell_interval(self, cell: Cell | None, decimals: int) -> str:
        """A cell's confidence interval, or an empty string."""
        if cell is None or cell.ci_lower is None:
            return ""
        return self.interval(cell.ci_lower, cell.ci_upper, decimals)

    def comparison(self, key: str) -> Markup:
        """The comparison with the country: a symbol for the eye and words for everyone."""
        labels = self.labels
        return Markup(
            '<span class="comparison comparison-%s"><span aria-hidden="true">%s</span> %s</span>'
        ) % (key, labels.comparison_symbol(key), labels.comparison(key))

    def number(self, value: float | None, decimals: int) -> str:
        """A number in the language's conventions."""
        return fmt.number(value, decimals, self.lang)

    def change(self, value: float | None, decimals: int) -> str:
        """A signed change."""
        return fmt.change(value, decimals, self.lang)

    def interval(self, lower: float | None, upper: float | None, decimals: int) -> str:
        """A confidence interval as 'a–b'."""
        return fmt.interval(lower, upper, decimals, self.lang)

    def date(self, value: dt.datetime | dt.date | str | None) -> str:
        """A date or time."""
        return fmt.date(value, self.lang)


@dataclass(frozen=True)
class CubeYears:
    """The newest real and the synthetic years of the live cube, for the footer."""

    newest_real: int | None
    synthetic: tuple[int, int] | None


def cube_years(state: AppState) -> CubeYears | None:
    """The live cube's newest real year and its synthetic years, or None without a cube."""

    def read() -> CubeYears:
        with state.cube() as reader:
            real = reader.year_span(False)
            return CubeYears(real[1] if real else None, reader.year_span(True))

    try:
        return state.cached(("cube_years",), read)
    except RaketietoError:
        return None


def page_context(state: AppState, request: Request, lang: str | None = None) -> dict[str, Any]:
    """What every template receives."""
    lang = lang or request_language(request)
    translations = state.translations
    labels = Labels(translations.gettext_for(lang), lang)
    return {
        "request": request,
        "lang": lang,
        "_": translations.gettext_for(lang),
        "gettext": translations.gettext_for(lang),
        "ngettext": translations.ngettext_for(lang),
        "fmt": Formatter(lang, labels),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "url_with": lambda path=None, **changes: url_with(request, path, **changes),
        "catalogue": state.catalogue,
        "labels": labels,
        "cube_built_at": state.built_at(),
        "cube_years": cube_years(state),
        "today": state.today(),
        "series_rows": series_rows,
        "level_label": lambda level: Level(level).label(lang) if level in _LEVELS else level,
        "source_text": lambda text: source_text(translations, lang, text),
    }


def render(
    state: AppState,
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    lang: str | None = None,
) -> HTMLResponse:
    """Render a template with the page context laid under context."""
    html = render_html(state, request, template, context, lang=lang)
    return HTMLResponse(html, status_code=status_code)


def render_html(
    state: AppState,
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    lang: str | None = None,
) -> str:
    """The HTML of a template with the page context laid under context."""
    full = page_context(state, request, lang)
    full.update(context)
    return state.templates.get_template(template).render(full)
