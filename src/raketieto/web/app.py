"""The FastAPI application: views, then the reporting and API routers when they exist."""

from __future__ import annotations

import gc
import importlib
import importlib.util
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from raketieto.cube.store import CubeMissingError
from raketieto.errors import NotFoundError, RaketietoError, YearNotAvailableError
from raketieto.regions import OutsideSystemError
from raketieto.regions.division import COUNTRY_CODE
from raketieto.settings import Settings
from raketieto.web.assets import static_path, vendor_path
from raketieto.web.errors import Link, PageNotFound
from raketieto.web.pages import render, request_language
from raketieto.web.state import AppState
from raketieto.web.urls import url_with
from raketieto.web.views import build_router

log = logging.getLogger(__name__)

API_ERRORS = "raketieto.web.api.errors"
REPORTING_PANEL = "raketieto.web.reporting.panel"
OPTIONAL_ROUTERS = ("raketieto.web.reporting.routes", "raketieto.web.api.routes")
GEO_FILES = {
    "yta": "collaborative_areas_2025_wgs84.geojson",
    "hva": "wellbeing_services_counties_2025_wgs84.geojson",
    "municipality": "municipalities_2025_wgs84.geojson",
}
LONG_CACHE = {"Cache-Control": "public, max-age=86400"}


def _module_exists(name: str) -> bool:
    """True when the module can be imported; a missing parent package counts as missing."""
    parts = name.split(".")
    for end in range(2, len(parts) + 1):
        if importlib.util.find_spec(".".join(parts[:end])) is None:
            return False
    return True


def optional_routers(state: AppState) -> list[APIRouter]:
    """Routers of the reporting and API helpers whose modules exist (errors inside them raise)."""
    routers = []
    for name in OPTIONAL_ROUTERS:
        if _module_exists(name):
            module = importlib.import_module(name)
            build: Callable[[AppState], APIRouter] = module.build_router
            routers.append(build(state))
    return routers


def create_app(settings: Settings) -> FastAPI:
    """The web app for settings; its AppState is at app.state.raketieto."""
    state = AppState.build(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The server answers at once; the cube's facts are read into memory meanwhile.
        threading.Thread(target=_warm, args=(state,), name="raketieto-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="raketieto",
        description="Rakenteellisen sosiaalityön tietotuotanto ja raportointi.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.raketieto = state

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        """Readiness for load balancers and scripts: 200 once the cube is in memory."""
        status = state.readiness()
        if status == "starting" and state.warmed:
            state.warm()  # a cube built or swapped in after start-up: read it now
            status = state.readiness()
        body = {"status": status, "cube_built_at": state.built_at() if status == "ok" else None}
        return JSONResponse(body, status_code=200 if status == "ok" else 503)

    app.include_router(build_router(state))
    _add_assets(app)
    for router in optional_routers(state):
        app.include_router(router)
    _add_error_pages(app, state)
    _document_html_answers(app)
    return app


#: What an HTML page answers besides 200: its pages for what does not exist, for bad input and
#: for a cube not yet built (never 422: a value that does not parse is a page that does not
#: exist, and says so in the visitor's language).
HTML_ANSWERS: dict[str, dict[str, Any]] = {
    "400": {"description": "Virheellinen arvo: sivu kertoo yhdellä lauseella, mikä.",
            "content": {"text/html": {"schema": {"type": "string"}}}},
    "404": {"description": "Aluetta, ilmiötä, indikaattoria, vuotta tai sivua ei ole; sivu "
                           "ehdottaa olemassa olevia.",
            "content": {"text/html": {"schema": {"type": "string"}}}},
    "503": {"description": "Kuutiota ei ole vielä rakennettu.",
            "content": {"text/html": {"schema": {"type": "string"}}}},
}  # fmt: skip


def _document_html_answers(app: FastAPI) -> None:
    """The app's OpenAPI document says what the HTML pages really answer (404, 400, 503)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            for path, operations in document.get("paths", {}).items():
                if path.startswith(("/api/", "/vienti/")):
                    continue  # the API's routes document their own JSON errors
                for operation in operations.values():
                    responses = operation.setdefault("responses", {})
                    responses.pop("422", None)
                    responses.update(HTML_ANSWERS)
                    for answer in responses.values():  # 200 is a page, not JSON
                        content = answer.get("content", {})
                        if "application/json" in content and "text/html" in content:
                            del content["application/json"]
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _warm(state: AppState) -> None:
    """Ready the cube and, when the reporting module exists, open the operational store, so
    that no visitor's first page pays for either. A failure here is logged and left to the
    pages, which report it to their visitors; the warm-up still ends."""
    try:
        state.warm()
    except Exception:
        log.exception("the cube could not be read at start-up")
    if _module_exists(REPORTING_PANEL):
        try:
            importlib.import_module(REPORTING_PANEL).warm(state)
        except Exception as error:  # the pages say so themselves when the store is down
            log.warning("operational store not ready at start-up: %s", type(error).__name__)
    # The cube in memory, the templates and the imported libraries are millions of long-lived
    # objects; without this, every full garbage collection walks them all (about 0.2 s, and it
    # fell on a visitor's request). Frozen objects are still freed when no longer referenced.
    gc.collect()
    gc.freeze()
    state.warmed = True


def _add_assets(app: FastAPI) -> None:
    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = vendor_path(name)
        if path is None:
            raise StarletteHTTPException(404)
        return FileResponse(path, headers=LONG_CACHE)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = static_path(name)
        if path is None:
            raise StarletteHTTPException(404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/geo/{name}.json", include_in_schema=False)
    def geo(name: str) -> Response:
        from importlib import resources

        if name not in GEO_FILES:
            raise StarletteHTTPException(404)
        path = resources.files("raketieto.data") / "geo" / GEO_FILES[name]
        return Response(path.read_bytes(), media_type="application/geo+json", headers=LONG_CACHE)


def _front_links(state: AppState, request: Request) -> list[Link]:
    lang = request_language(request)
    division = state.division
    links = [
        Link(url_with(request, f"/tilannekuva/{r.code}"), r.name(lang))
        for r in [division.get(COUNTRY_CODE), *division.children(COUNTRY_CODE)]
    ]
    links += [
        Link(url_with(request, f"/ilmio/{p.id}/{COUNTRY_CODE}"), p.label.get(lang))
        for p in state.catalogue.phenomena.values()
    ]
    return links


def not_found_page(state: AppState, request: Request, missing: PageNotFound) -> HTMLResponse:
    """The 404 page in the request's language."""
    links = missing.links or _front_links(state, request)
    context = {"missing": missing, "links": links, "front_links": _front_links(state, request)}
    return render(state, request, "not_found.html", context, status_code=404)


def api_error(request: Request, error: Exception) -> Response | None:
    """The API's own JSON error for a failure under /api/ (when the API module exists)."""
    if not request.url.path.startswith("/api/") or not _module_exists(API_ERRORS):
        return None
    convert: Callable[[Request, Exception], Response | None] = importlib.import_module(
        API_ERRORS
    ).from_exception
    return convert(request, error)


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route answers at the request's path (for a 405's Allow header).

    Starlette names only the first route whose path matched; RFC 9110 asks for all of them
    (GET /kirjaudu and POST /kirjaudu are two routes).
    """
    methods: set[str] = set()
    for route in _leaf_routes(app.router.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _leaf_routes(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
    """The routes themselves, also those of included routers (all included without prefix)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _leaf_routes(inner.routes)
        else:
            yield route


def _with_allow(app: FastAPI, request: Request, response: Response, status: int) -> Response:
    if status == 405:
        response.headers["Allow"] = ", ".join(allowed_methods(app, request))
    return response


def _add_error_pages(app: FastAPI, state: AppState) -> None:
    @app.exception_handler(PageNotFound)
    async def page_not_found(request: Request, error: Exception) -> Response:
        assert isinstance(error, PageNotFound)
        return not_found_page(state, request, error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        api = api_error(request, error)
        if api is not None:
            return _with_allow(app, request, api, error.status_code)
        if error.status_code == 404:
            return not_found_page(state, request, PageNotFound("page", request.url.path))
        context = {"status": error.status_code, "message": ""}
        response = render(state, request, "error.html", context, status_code=error.status_code)
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return _with_allow(app, request, response, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: Exception) -> Response:
        api = api_error(request, error)
        if api is not None:
            return api
        return not_found_page(state, request, PageNotFound("page", request.url.path))

    @app.exception_handler(RaketietoError)
    async def input_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RaketietoError)
        api = api_error(request, error)
        if api is not None:
            return api
        if isinstance(error, CubeMissingError):
            context = {"status": 503, "message": "cube_missing"}
            return render(state, request, "error.html", context, status_code=503)
        if isinstance(error, NotFoundError | YearNotAvailableError | OutsideSystemError):
            missing = PageNotFound("page", request.url.path, detail=error.full_message())
            return not_found_page(state, request, missing)
        context = {"status": 400, "message": error.full_message()}
        return render(state, request, "error.html", context, status_code=400)
