"""The front page at / and the indicator index at /indikaattori."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from raketieto.errors import RaketietoError
from raketieto.reports.indicator_index import indicator_index, source_summaries
from raketieto.web.pages import render_html, request_language
from raketieto.web.state import AppState
from raketieto.web.urls import url_with

#: The index's own query parameters (the search and the two filters), besides ?lang=.
INDEX_PARAMS = ("q", "ilmio", "lahde")
MAX_QUERY = 100


def source_label(kind: str, _: Callable[..., str]) -> str:
    """A source kind in words, in the page's language."""
    texts = {
        "sotkanet": _("THL:n Sotkanet-indikaattoripankki"),
        "statfin": _("Tilastokeskuksen StatFin-tietokanta"),
        "kela": _("Kelan Kelasto-tilastot"),
        "ara": _("ARA:n asunnottomuustilasto"),
        "tem": _("TEM:n työllisyystilastot"),
        "population": _("Väestötiedot (Tilastokeskus, THL)"),
        "client_data": _("Sosiaalihuollon asiakastiedot"),
    }
    return texts.get(kind, kind)


def _index_state(request: Request, state: AppState) -> tuple[str, str | None, str | None]:
    """The search words and the filters of the request; unknown filter values are ignored."""
    params = request.query_params
    query = " ".join((params.get("q") or "").split())[:MAX_QUERY]
    phenomenon = params.get("ilmio") or None
    if phenomenon not in state.catalogue.phenomena:
        phenomenon = None
    kinds = {i.source.kind for i in state.catalogue.indicators.values()}
    source = params.get("lahde") or None
    if source not in kinds:
        source = None
    return query, phenomenon, source


def index_url(request: Request, path: str | None = None, **changes: object) -> str:
    """url_with that keeps the index's search and filters on the index page itself."""
    if path is not None and path != "/indikaattori":
        return url_with(request, path, **changes)
    kept = {k: v for k, v in request.query_params.items() if k in INDEX_PARAMS and v}
    for key, value in changes.items():
        if key in INDEX_PARAMS:
            kept.pop(key, None)
            if value:
                kept[key] = str(value)
    base = url_with(request, "/indikaattori", **{k: v for k, v in changes.items() if k == "lang"})
    if not kept:
        return base
    joiner = "&" if "?" in base else "?"
    return base + joiner + urlencode(sorted(kept.items()))


def _kept(state: AppState, key: Hashable, html: Callable[[], str]) -> HTMLResponse:
    try:
        return HTMLResponse(state.cached(key, html))
    except RaketietoError:
        return HTMLResponse(html())  # no cube to key the page by: render it, unkept


async def _answer(state: AppState, key: Hashable, html: Callable[[], str]) -> Response:
    """A kept page from the event loop; anything else rendered (and kept) in a worker thread."""
    kept = state.peek(key)
    if isinstance(kept, str):
        return HTMLResponse(kept)
    return await run_in_threadpool(_kept, state, key, html)


def build_front_router(state: AppState) -> APIRouter:
    """The router of the front page and the indicator index."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def front(request: Request) -> Response:
        lang = request_language(request)
        key = ("page", "front.html", lang)

        def build() -> str:
            _ = state.translations.gettext_for(lang)
            try:
                with state.cube() as reader:
                    index = reader.index()
            except RaketietoError:
                index = None  # no cube yet: the page still says what the service is
            context = {
                "phenomena": sorted(state.catalogue.phenomena.values(), key=lambda p: p.order),
                "sources": source_summaries(state.catalogue, index, lang),
                "source_label": lambda kind: source_label(kind, _),
                "years": index.years if index is not None else [],
                "indicator_count": len(state.catalogue.indicators),
            }
            return render_html(state, request, "front.html", context)

        return await _answer(state, key, build)

    @router.get("/indikaattori", response_class=HTMLResponse, include_in_schema=False)
    async def indicators(request: Request) -> Response:
        lang = request_language(request)
        query, phenomenon, source = _index_state(request, state)
        fragment = (
            request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true"
        )
        template = "indicator_index_fragment.html" if fragment else "indicator_index.html"
        key = ("page", template, lang, query.casefold(), phenomenon, source)

        def build() -> str:
            _ = state.translations.gettext_for(lang)
            try:
                with state.cube() as reader:
                    facts = reader.index()
            except RaketietoError:
                facts = None
            data = indicator_index(
                state.catalogue,
                facts,
                query=query,
                phenomenon_id=phenomenon,
                source_kind=source,
                lang=lang,
            )
            context = {
                "index": data,
                "source_label": lambda kind: source_label(kind, _),
                "url_with": lambda path=None, **changes: index_url(request, path, **changes),
            }
            return render_html(state, request, template, context)

        return await _answer(state, key, build)

    return router
