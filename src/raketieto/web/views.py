"""The pages: tilannekuva, ilmiöstä tiiviisti, ilmiönäkymä and the indicator definition."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from raketieto.catalogue.models import Phenomenon
from raketieto.errors import RaketietoError
from raketieto.regions import Level, OutsideSystemError, Region
from raketieto.regions.division import COUNTRY_CODE
from raketieto.regions.remap import merged_municipality
from raketieto.reports.indicator_page import indicator_definition
from raketieto.reports.overview import overview_grid
from raketieto.reports.phenomenon import phenomenon_glance, phenomenon_indicators
from raketieto.reports.phenomenon_view import phenomenon_view
from raketieto.reports.shown import glance_cells, picture_cells, view_cells
from raketieto.reports.situation import situational_picture
from raketieto.reports.vintage import provenance_vintage, vintage
from raketieto.text import closest
from raketieto.web import charts
from raketieto.web.errors import Link, PageNotFound
from raketieto.web.front import build_front_router
from raketieto.web.pages import render_html, request_language
from raketieto.web.state import AppState
from raketieto.web.urls import state_key, url_with

log = logging.getLogger(__name__)

PANEL_MODULE = "raketieto.web.reporting.panel"
YEAR = re.compile(r"^\d{4}$")
LEVELS = {"yta": Level.COLLABORATIVE_AREA, "hva": Level.COUNTY, "municipality": Level.MUNICIPALITY}


@functools.cache
def panel_module() -> ModuleType | None:
    """The reporting helper's panel module if it exists (else None), looked up once.

    Only a missing module is tolerated; an ImportError inside an existing one is raised.
    """
    if importlib.util.find_spec("raketieto.web.reporting") is None:
        return None
    if importlib.util.find_spec(PANEL_MODULE) is None:
        return None
    return importlib.import_module(PANEL_MODULE)


def qualitative_panel(
    state: AppState, region_code: str, phenomenon_id: str, lang: str
) -> Markup | None:
    """The reporting helper's panel for the slot, or None when there is no such module.

    A failure inside the panel is logged and shown as a short notice, so that the numbers of
    the view stay readable even when the operational store is down.
    """
    module = panel_module()
    if module is None:
        return None
    try:
        panel: Markup = module.phenomenon_panel(state, region_code, phenomenon_id, lang)
        return panel
    except Exception:
        log.exception("the qualitative panel failed for %s/%s", phenomenon_id, region_code)
        _ = state.translations.gettext_for(lang)
        text = _("Työntekijöiden raportteja ei juuri nyt saada näkyviin.")
        return Markup("<p>%s</p>") % text


def with_panel(html: str, panel: Markup) -> str:
    """The phenomenon view's HTML with the qualitative panel in its slot."""
    return html.replace(PANEL_SLOT, str(panel), 1)


def no_panel(state: AppState, lang: str) -> Markup:
    """What the slot says when there is no reporting module."""
    _ = state.translations.gettext_for(lang)
    return Markup("<p>%s</p>") % _("Julkaistuja sosiaalisia raportteja ei vielä ole.")


def kept_qualitative_panel(
    state: AppState, region_code: str, phenomenon_id: str, lang: str
) -> Markup | None:
    """The panel if it can be had without asking the store; None means ask in a thread."""
    module = panel_module()
    if module is None:
        return no_panel(state, lang)
    kept: Markup | None = module.kept_panel(state, region_code, phenomenon_id, lang)
    return kept


def is_fragment(request: Request) -> bool:
    """True for an htmx request that swaps part of a page (not a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class Resolver:
    """Turns path and query parts into catalogue and division objects, or a 404 with links."""

    def __init__(self, state: AppState, request: Request) -> None:
        self.state = state
        self.request = request
        self.lang = request_language(request)

    def area(self, code: str) -> Region:
        """The region of a canonical code; names and short codes redirect; others give a 404."""
        division = self.state.division
        region = division.regions.get(code)
        if region is not None:
            return region
        outside = False
        try:
            found = division.lookup(code)
        except OutsideSystemError:
            found, outside = None, True
        except (RaketietoError, ValueError):
            found = None
        if found is not None:
            path = self.request.url.path
            raise Redirect(url_with(self.request, path[: path.rfind("/") + 1] + found.code))
        merger = merged_municipality(code, division.year)
        path = self.request.url.path
        prefix = path[: path.rfind("/") + 1] if path.count("/") >= 2 else "/tilannekuva/"
        if merger is not None and merger[1] in division.regions:
            change, new_code = merger
            target = division.regions[new_code]
            details: dict[str, object] = {
                "old_name": change.old_name,
                "old_code": "KU" + change.old_code,
                "new_name": target.name(self.lang),
                "new_code": new_code,
                "date": change.effective,
            }
            link = Link(url_with(self.request, prefix + new_code), target.name(self.lang))
            raise PageNotFound("merged", code, [link], merged=details)
        names = {r.name(self.lang): r for r in division.regions.values()}
        near = [names[n] for n in closest(code, names)]
        near += [division.regions[c] for c in closest(code.upper(), division.regions)]
        tops = [division.get(COUNTRY_CODE), *division.children(COUNTRY_CODE)]
        links = [
            Link(url_with(self.request, prefix + r.code), r.name(self.lang))
            for r in dict.fromkeys([*near, *tops])
        ]
        raise PageNotFound("outside" if outside else "area", code, links)

    def phenomenon(self, phenomenon_id: str, area_code: str) -> Phenomenon:
        """The phenomenon with this id; a name redirects; others give a 404."""
        catalogue = self.state.catalogue
        if phenomenon_id in catalogue.phenomena:
            return catalogue.phenomena[phenomenon_id]
        try:
            found = catalogue.phenomenon(phenomenon_id)
        except (RaketietoError, ValueError):
            found = None
        view = self.request.url.path.split("/")[1]
        if found is not None:
            raise Redirect(url_with(self.request, f"/{view}/{found.id}/{area_code}"))
        links = [
            Link(url_with(self.request, f"/{view}/{p.id}/{area_code}"), p.label.get(self.lang))
            for p in catalogue.phenomena.values()
        ]
        raise PageNotFound("phenomenon", phenomenon_id, links)

    def indicator(self, phenomenon: Phenomenon) -> str | None:
        """The ?indicator= if the phenomenon uses it, None when absent; a 404 otherwise."""
        wanted = self.request.query_params.get("indicator") or None
        if wanted is None:
            return None
        members = phenomenon_indicators(self.state.catalogue, phenomenon.id)
        if wanted in {i.id for i in members}:
            return wanted
        links = [
            Link(url_with(self.request, indicator=i.id), i.label.get(self.lang)) for i in members
        ]
        raise PageNotFound("indicator", wanted, links)

    def year(self) -> int | None:
        """The ?year= if it lies within the cube's years, None when absent; a 404 otherwise.

        A year inside that span without data in the view shows the nearest year that has
        some, and says so; the data functions choose it.
        """
        text = self.request.query_params.get("year") or None
        if text is None:
            return None
        years = self.years()
        if YEAR.match(text) and years and years[0] <= int(text) <= years[-1]:
            return int(text)
        links = [Link(url_with(self.request, year=y), str(y)) for y in reversed(years)]
        links.append(Link(url_with(self.request, year=None), self._latest_text()))
        raise PageNotFound("year", text, links)

    def level(self) -> Level | None:
        """The ?level= of the ranking (yta, hva, municipality), None when absent."""
        text = self.request.query_params.get("level") or None
        if text is None:
            return None
        if text in LEVELS:
            return LEVELS[text]
        links = [
            Link(url_with(self.request, level=key), level.label(self.lang))
            for key, level in LEVELS.items()
        ]
        raise PageNotFound("level", text, links)

    def years(self) -> list[int]:
        """Years with any value in the cube."""
        return self.state.cached(("years",), self._years)

    def _latest_text(self) -> str:
        _ = self.state.translations.gettext_for(self.lang)
        return _("Viimeisin vuosi")

    def _years(self) -> list[int]:
        with self.state.cube() as reader:
            return reader.years()


@dataclass(frozen=True)
class PhenomenonPage:
    """What the glance and the phenomenon view resolve from their path and query."""

    resolver: Resolver
    region: Region
    phenomenon: Phenomenon
    indicator: str | None
    year: int | None

    @classmethod
    def resolve(
        cls, state: AppState, request: Request, phenomenon: str, area: str
    ) -> PhenomenonPage:
        """The area, phenomenon, indicator and year of the request, or a 404 or redirect."""
        resolver = Resolver(state, request)
        region = resolver.area(area)
        chosen = resolver.phenomenon(phenomenon, region.code)
        return cls(resolver, region, chosen, resolver.indicator(chosen), resolver.year())

    @property
    def lang(self) -> str:
        """The language of the page."""
        return self.resolver.lang

    @property
    def gettext(self) -> Callable[[str], str]:
        """The interface texts in the page's language."""
        return self.resolver.state.translations.gettext_for(self.lang)

    @property
    def codes(self) -> tuple[str, str]:
        """The area code and the phenomenon id, as the data functions take them."""
        return self.region.code, self.phenomenon.id

    @property
    def choices(self) -> dict[str, Any]:
        """The data functions' keyword arguments: indicator, year and language."""
        return {"indicator_id": self.indicator, "year": self.year, "lang": self.lang}

    @property
    def context(self) -> dict[str, Any]:
        """The template variables both pages share."""
        return {"region": self.region, "phenomenon": self.phenomenon, "chosen_year": self.year}


class Redirect(Exception):
    """Send the browser to the canonical URL of what it asked for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _respond(compute: Callable[[], Response]) -> Response:
    try:
        return compute()
    except Redirect as redirect:
        return RedirectResponse(redirect.url, status_code=301)


PANEL_SLOT = "<!--raketieto:qualitative-panel-->"


def page_key(request: Request, template: str) -> Hashable:
    """The cache key of a page: its template, path and view state."""
    return ("page", template, request.url.path, state_key(request))


async def kept_or_threaded(
    state: AppState, request: Request, template: str, page: Callable[[], Response]
) -> Response:
    """A kept page straight from the event loop; anything else in a worker thread.

    Under many clients the thread hop and the thread switching cost more than a kept page
    itself; computing a page, which takes milliseconds, must not block the loop.
    """
    html = state.peek(page_key(request, template))
    if isinstance(html, str):
        return HTMLResponse(html)
    return await run_in_threadpool(_respond, page)


def cached_page(
    state: AppState, request: Request, template: str, build: Callable[[], dict[str, Any]]
) -> HTMLResponse:
    """The page rendered once per template, path and view state for the current cube.

    Pages depend only on the cube (read-only until swapped), the catalogue and the URL state,
    so the HTML is cached; the qualitative panel, which changes as reports are published, is
    put in on every request.
    """
    key = page_key(request, template)

    def rendered() -> str:
        return render_html(state, request, template, build())

    html = state.cached(key, rendered)
    return HTMLResponse(html)


def build_router(state: AppState) -> APIRouter:
    """The router of the three views, the definition page and the front page."""
    router = APIRouter()
    router.include_router(build_front_router(state))

    @router.get("/tilannekuva/{area}", response_class=HTMLResponse)
    async def situation(request: Request, area: str) -> Response:
        def page() -> Response:
            resolve = Resolver(state, request)
            region = resolve.area(area)
            year = resolve.year()
            lang = resolve.lang

            def build() -> dict[str, Any]:
                with state.cube() as reader:
                    picture = situational_picture(
                        reader, state.catalogue, state.division, region.code, year=year, lang=lang
                    )
                    grid = overview_grid(
                        reader,
                        state.catalogue,
                        state.division,
                        region.code,
                        year=picture.year,
                        lang=lang,
                    )
                    shown = vintage(reader, picture_cells(picture, grid))
                return {
                    "region": region,
                    "years": picture.years,
                    "chosen_year": year,
                    "picture": picture,
                    "grid": grid,
                    "vintage": shown,
                    "requested_year": picture.requested_year,
                }

            return cached_page(state, request, "situation.html", build)

        return await kept_or_threaded(state, request, "situation.html", page)

    @router.get("/ilmio/{phenomenon}/{area}", response_class=HTMLResponse)
    async def glance(request: Request, phenomenon: str, area: str) -> Response:
        template = "glance_fragment.html" if is_fragment(request) else "glance.html"

        def page() -> Response:
            chosen = PhenomenonPage.resolve(state, request, phenomenon, area)
            level = chosen.resolver.level()

            def build() -> dict[str, Any]:
                with state.cube() as reader:
                    data = phenomenon_glance(
                        reader, state.catalogue, state.division, *chosen.codes,
                        level=level, **chosen.choices,
                    )  # fmt: skip
                    shown = vintage(reader, glance_cells(data))
                return {
                    **chosen.context,
                    "years": data.years,
                    "vintage": shown,
                    "requested_year": data.requested_year,
                    "levels": ranking_levels(state, data.indicator_id),
                    "glance": data,
                    "charts": glance_charts(data, chosen.lang, chosen.gettext),
                }

            return cached_page(state, request, template, build)

        return await kept_or_threaded(state, request, template, page)

    @router.get("/ilmionakyma/{phenomenon}/{area}", response_class=HTMLResponse)
    async def view(request: Request, phenomenon: str, area: str) -> Response:
        template = "view_fragment.html" if is_fragment(request) else "view.html"

        def page() -> Response:
            chosen = PhenomenonPage.resolve(state, request, phenomenon, area)

            def build() -> dict[str, Any]:
                with state.cube() as reader:
                    data = phenomenon_view(
                        reader, state.catalogue, state.division, *chosen.codes, **chosen.choices
                    )
                    shown = vintage(reader, view_cells(data))
                return {
                    **chosen.context,
                    "panel": Markup(PANEL_SLOT),
                    "years": data.years,
                    "vintage": shown,
                    "requested_year": data.requested_year,
                    "view": data,
                    "charts": view_charts(data, chosen.gettext),
                }

            response = cached_page(state, request, template, build)
            region_code, phenomenon_id = chosen.codes
            panel = qualitative_panel(state, region_code, phenomenon_id, chosen.lang)
            if panel is None:
                panel = no_panel(state, chosen.lang)
            return HTMLResponse(with_panel(bytes(response.body).decode("utf-8"), panel))

        # Only canonical URLs are kept, so a kept page's path holds the canonical area code
        # and phenomenon id that the panel is keyed by.
        html = state.peek(page_key(request, template))
        if isinstance(html, str):
            panel = kept_qualitative_panel(state, area, phenomenon, request_language(request))
            if panel is not None:
                return HTMLResponse(with_panel(html, panel))
        return await run_in_threadpool(_respond, page)

    @router.get("/indikaattori/{indicator_id}", response_class=HTMLResponse)
    async def indicator_page(request: Request, indicator_id: str) -> Response:
        lang = request_language(request)
        catalogue = state.catalogue
        if indicator_id not in catalogue.indicators:
            raise PageNotFound("indicator", indicator_id, _indicator_links(state, request, lang))

        def build() -> dict[str, Any]:
            with state.cube() as reader:
                definition = indicator_definition(reader, catalogue, indicator_id, lang=lang)
            return {"definition": definition, "vintage": provenance_vintage(definition.provenance)}

        def page() -> Response:
            return cached_page(state, request, "indicator.html", build)

        return await kept_or_threaded(state, request, "indicator.html", page)

    return router


def ranking_levels(state: AppState, indicator_id: str) -> list[str]:
    """The ranking levels (LEVELS' keys, in their order) on which the indicator has values."""

    def compute() -> list[str]:
        with state.cube() as reader:
            found = set(reader.levels_with_values(indicator_id))
        return [key for key, level in LEVELS.items() if level.value in found]

    return state.cached(("ranking-levels", indicator_id), compute)


def _indicator_links(state: AppState, request: Request, lang: str) -> list[Link]:
    catalogue = state.catalogue
    labels = {i.label.get(lang): i for i in catalogue.indicators.values()}
    wanted = request.url.path.rsplit("/", 1)[-1]
    near = [labels[n].id for n in closest(wanted, labels)]
    near += closest(wanted, catalogue.indicators)
    others = sorted(catalogue.indicators, key=lambda i: catalogue.indicators[i].label.get(lang))
    return [
        Link(url_with(request, f"/indikaattori/{i}"), catalogue.indicators[i].label.get(lang))
        for i in dict.fromkeys([*near, *others])
    ]


def glance_charts(data: Any, lang: str, _: Callable[..., str]) -> dict[str, Any]:
    """The charts of the glance: a trend per indicator, the ranking, its maps, the spine."""
    from raketieto.web import summaries
    from raketieto.web.maps import map_charts

    trends = {
        item.summary.indicator_id: charts.trend_chart(
            item.series,
            unit=item.summary.unit,
            decimals=item.summary.decimals,
            lang=lang,
            description=summaries.trend(item.summary, item.series, lang, _),
            _=_,
        )
        for theme in data.themes
        for item in theme.indicators
        if any(p.value is not None for s in item.series for p in s.points)
    }
    ranked = data.ranking
    sentence = summaries.ranking(ranked, lang, _)
    geo = charts.geo_name_for(ranked.level)
    return {
        "trends": trends,
        "ranking": charts.ranking_chart(ranked, lang=lang, description=sentence, _=_)
        if ranked.ranked
        else None,
        "maps": map_charts(ranked, geo, chosen=data.region, description=sentence, lang=lang, _=_)
        if geo and ranked.ranked
        else None,
        "ranking_sentence": sentence,
        **_profile_charts(data, lang, _),
    }


def _profile_charts(data: Any, lang: str, _: Callable[..., str]) -> dict[str, Any]:
    """The glance's spine chart and its chart of the most similar areas."""
    from raketieto.web import summaries
    from raketieto.web.spine import spine_chart

    out: dict[str, Any] = {"spine": None, "similar": None, "similar_sentence": ""}
    if data.spine is not None and data.spine.rows:
        out["spine_sentence"] = summaries.spine(data.spine, data.region.name(lang), lang, _)
        out["spine"] = spine_chart(data.spine, lang=lang, description=out["spine_sentence"], _=_)
    if data.similar is not None:
        compared = data.similar.comparison
        out["similar_sentence"] = summaries.ranking(compared, lang, _)
        if compared.ranked:
            out["similar"] = charts.ranking_chart(
                compared, lang=lang, description=out["similar_sentence"], _=_
            )
    return out


def view_charts(data: Any, _: Callable[..., str]) -> dict[str, Any]:
    """The charts of the phenomenon view: the comparison and the time series."""
    from raketieto.web import summaries

    lang = data.lang
    compared = data.comparison
    sentence = summaries.ranking(compared, lang, _)
    series_sentence = summaries.series(data, lang, _)
    has_series = any(p.value is not None for s in data.series for p in s.points)
    return {
        "ranking": charts.ranking_chart(compared, lang=lang, description=sentence, _=_)
        if compared.ranked
        else None,
        "ranking_sentence": sentence,
        "series": charts.trend_chart(
            data.series,
            unit=data.unit,
            decimals=data.decimals,
            lang=lang,
            description=series_sentence,
            _=_,
        )
        if has_series
        else None,
        "series_sentence": series_sentence,
    }
