"""The REST API under /api/v1: regions, phenomena, indicators and values, with its OpenAPI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel

from raketieto import __version__
from raketieto.errors import NotFoundError
from raketieto.exports import ExportFormat
from raketieto.exports.csv import stream_csv
from raketieto.exports.jsonstat import stream_jsonstat
from raketieto.exports.labels import ATTRIBUTIONS
from raketieto.regions import Level
from raketieto.reports.tidy import COLUMNS, MAX_LIMIT, ValueQuery
from raketieto.reports.tidy_stream import ValueSelection
from raketieto.web.api.docs import docs_html
from raketieto.web.api.downloads import add_download_routes
from raketieto.web.api.errors import ERROR_RESPONSES, error_response
from raketieto.web.api.limits import RateLimiter
from raketieto.web.api.models import (
    Index,
    IndicatorAnswer,
    IndicatorList,
    Meta,
    Paging,
    PhenomenonAnswer,
    PhenomenonList,
    RegionAnswer,
    RegionList,
    ValueMeta,
    ValuePage,
    indicator_out,
    phenomenon_out,
    region_detail,
    region_out,
    value_page_json,
)
from raketieto.web.api.protect import PREFLIGHT_HEADERS, route_class
from raketieto.web.state import AppState

PREFIX = "/api/v1"
DEFAULT_LIMIT = 1000

Lang = Annotated[Literal["fi", "sv", "en"], Query(description="Kieli: fi, sv tai en.")]
LevelName = Literal["country", "yta", "hva", "municipality"]
CODE = r"^[A-Za-z0-9]{1,12}$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The filters of a values query, shared by /values and its streamed files.
IndicatorParam = Annotated[list[str] | None, Query(description="Indikaattorin tunniste(et).")]
PhenomenonParam = Annotated[str | None, Query(description="Ilmiön indikaattorit.", pattern=SLUG)]
AreaParam = Annotated[list[str] | None, Query(description="Alueen koodi(t).")]
LevelParam = Annotated[
    LevelName | None, Query(description="Kaikki tämän tason alueet (parent-alueen alla).")
]
ParentParam = Annotated[
    str | None, Query(description="Alue, jonka alta level-tason alueet.", pattern=CODE)
]
YearParam = Annotated[int | None, Query(ge=1900, le=2100)]
LatestParam = Annotated[
    bool, Query(description="Vain kunkin sarjan viimeisin vuosi (year_to asti).")
]
SexParam = Literal["total", "male", "female", "all"]
AgeParam = Annotated[str, Query(pattern=r"^(total|all|\d{1,3}-\d{1,3}|\d{1,3}\+)$")]


def _json(model: BaseModel) -> Response:
    # Serialised once, deterministically, so that the ETag only changes with the content.
    return Response(model.model_dump_json(), media_type="application/json")


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters and comma-separated lists, in order, without empties or repeats."""
    found = [part.strip() for value in values or [] for part in value.split(",")]
    return tuple(dict.fromkeys(p for p in found if p))


def build_router(state: AppState) -> APIRouter:
    """The API router and the view download routes, sharing one request limit."""
    limiter = RateLimiter(state.settings.api_requests_per_minute)
    router = APIRouter(route_class=route_class(limiter))
    _add_api(router, state)
    add_download_routes(router, state)
    _add_openapi(router)
    _add_fallbacks(router)
    return router


def _meta(state: AppState, lang: str) -> Meta:
    return Meta(
        lang=lang,
        division_year=state.division.year,
        built_at=state.built_at(),
        attribution=ATTRIBUTIONS[lang],
    )


def _add_api(router: APIRouter, state: AppState) -> None:
    common: dict[str, Any] = {"responses": ERROR_RESPONSES, "tags": ["api"]}

    @router.get(PREFIX, response_model=Index, summary="What the API offers", **common)
    @router.get(PREFIX + "/", include_in_schema=False)
    def index() -> Response:
        links = {
            name: f"{PREFIX}/{name}" for name in ("regions", "phenomena", "indicators", "values")
        }
        links.update(openapi=f"{PREFIX}/openapi.json", docs=f"{PREFIX}/docs")
        return _json(Index(name="raketieto", version=__version__, links=links))

    @router.get(
        f"{PREFIX}/regions", response_model=RegionList, summary="Areas of the division", **common
    )
    def regions(
        lang: Lang = "fi",
        level: Annotated[LevelName | None, Query(description="Vain tämän tason alueet.")] = None,
        parent: Annotated[
            str | None, Query(description="Vain tämän alueen alla olevat alueet.", pattern=CODE)
        ] = None,
    ) -> Response:
        division = state.division
        if parent is not None:
            top = division.get(parent)
            if level is None:
                found = division.children(top.code)
            elif Level(level).depth < top.level.depth:
                found = []
            else:
                found = division.descendants(top.code, Level(level))
        elif level is not None:
            found = division.at_level(Level(level))
        else:
            found = sorted(division.regions.values(), key=lambda r: (r.level.depth, r.code))
        data = [region_out(division, r, lang) for r in found]
        return _json(RegionList(data=data, meta=_meta(state, lang)))

    @router.get(
        f"{PREFIX}/regions/{{code}}",
        response_model=RegionAnswer,
        summary="One area with its parent and children",
        **common,
    )
    def region(
        code: Annotated[str, Path(description="Alueen koodi, esim. HVA05.", pattern=CODE)],
        lang: Lang = "fi",
    ) -> Response:
        found = state.division.get(code)
        detail = region_detail(state.division, found, lang)
        return _json(RegionAnswer(data=detail, meta=_meta(state, lang)))

    @router.get(f"{PREFIX}/phenomena", response_model=PhenomenonList, summary="Phenomena", **common)
    def phenomena(lang: Lang = "fi") -> Response:
        catalogue = state.catalogue
        data = [phenomenon_out(catalogue, p, lang) for p in catalogue.phenomena.values()]
        return _json(PhenomenonList(data=data, meta=_meta(state, lang)))

    @router.get(
        f"{PREFIX}/phenomena/{{phenomenon_id}}",
        response_model=PhenomenonAnswer,
        summary="One phenomenon with its themes and indicators",
        **common,
    )
    def phenomenon(
        phenomenon_id: Annotated[str, Path(description="Ilmiön tunniste.", pattern=SLUG)],
        lang: Lang = "fi",
    ) -> Response:
        catalogue = state.catalogue
        if phenomenon_id not in catalogue.phenomena:
            raise NotFoundError("ilmiö", phenomenon_id, catalogue.phenomena)
        data = phenomenon_out(catalogue, catalogue.phenomena[phenomenon_id], lang)
        return _json(PhenomenonAnswer(data=data, meta=_meta(state, lang)))

    @router.get(
        f"{PREFIX}/indicators",
        response_model=IndicatorList,
        summary="Indicators with their definitions",
        **common,
    )
    def indicators(
        lang: Lang = "fi",
        phenomenon: Annotated[
            str | None, Query(description="Vain tämän ilmiön indikaattorit.", pattern=SLUG)
        ] = None,
    ) -> Response:
        catalogue = state.catalogue
        chosen = list(catalogue.indicators.values())
        if phenomenon is not None:
            wanted = catalogue.phenomenon(phenomenon).id
            chosen = [i for i in chosen if wanted in i.phenomena()]
        data = [indicator_out(i, lang) for i in chosen]
        return _json(IndicatorList(data=data, meta=_meta(state, lang)))

    @router.get(
        f"{PREFIX}/indicators/{{indicator_id}}",
        response_model=IndicatorAnswer,
        summary="One indicator's definition",
        **common,
    )
    def indicator(
        indicator_id: Annotated[str, Path(description="Indikaattorin tunniste.", pattern=SLUG)],
        lang: Lang = "fi",
    ) -> Response:
        data = indicator_out(state.catalogue.indicator(indicator_id), lang)
        return _json(IndicatorAnswer(data=data, meta=_meta(state, lang)))

    @router.get(
        f"{PREFIX}/values",
        response_model=ValuePage,
        summary="Values: filter by area, level, indicator, phenomenon, years, sex, age group",
        description=(
            "Tidy values, one per area × indicator × year × sex × age group, the same rows as "
            "the Excel and CSV files. All areas of one level for one indicator in one call: "
            "`?indicator=population&level=hva&latest=true`. Lists take repeated parameters or "
            "commas. A suppressed value has value null and suppressed true."
        ),
        **common,
    )
    def values(
        request: Request,
        indicator: Annotated[
            list[str] | None, Query(description="Indikaattorin tunniste(et).")
        ] = None,
        phenomenon: Annotated[
            str | None, Query(description="Ilmiön indikaattorit.", pattern=SLUG)
        ] = None,
        area: Annotated[list[str] | None, Query(description="Alueen koodi(t).")] = None,
        level: Annotated[
            LevelName | None, Query(description="Kaikki tämän tason alueet (parent-alueen alla).")
        ] = None,
        parent: Annotated[
            str | None, Query(description="Alue, jonka alta level-tason alueet.", pattern=CODE)
        ] = None,
        year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        latest: Annotated[
            bool, Query(description="Vain kunkin sarjan viimeisin vuosi (year_to asti).")
        ] = False,
        sex: Literal["total", "male", "female", "all"] = "total",
        age_group: Annotated[
            str, Query(pattern=r"^(total|all|\d{1,3}-\d{1,3}|\d{1,3}\+)$")
        ] = "total",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        lang: Lang = "fi",
    ) -> Response:
        query = ValueQuery(
            indicators=_split(indicator),
            phenomenon=phenomenon,
            areas=_split(area),
            level=level,
            parent=parent,
            year_from=year_from,
            year_to=year_to,
            latest=latest,
            sex=sex,
            age_group=age_group,
            limit=limit,
            offset=offset,
            lang=lang,
        )
        with state.cube() as reader:
            # Column-wise from the cube: the same rows as select_values (tested), no TidyRow.
            selection = ValueSelection(reader, state.catalogue, state.division, query)
            page, total = selection.page(offset, limit)
        after = offset + limit
        paging = Paging(
            total=total,
            limit=limit,
            offset=offset,
            next=str(request.url.include_query_params(offset=after)) if after < total else None,
            previous=str(request.url.include_query_params(offset=max(0, offset - limit)))
            if offset > 0
            else None,
        )
        meta = ValueMeta(
            **_meta(state, lang).model_dump(),
            synthetic=page.has_synthetic,
            columns=list(COLUMNS),
        )
        body = value_page_json(page.json_rows(), paging, meta)
        return Response(body, media_type="application/json")

    _add_value_streams(router, state, common)


#: The whole answer of a values query as a file, streamed: path suffix, form, media type.
_STREAMS = {
    ".csv": (ExportFormat.CSV, "standard CSV (UTF-8, comma, point, column ids)"),
    ".fi.csv": (ExportFormat.CSV_FI, "CSV for Excel in Finnish (semicolon, decimal comma, BOM)"),
    ".jsonstat": (ExportFormat.JSONSTAT, "one JSON-stat 2.0 dataset"),
}


def _add_value_streams(router: APIRouter, state: AppState, common: dict[str, Any]) -> None:
    for suffix, (fmt, form) in _STREAMS.items():
        _add_value_stream(router, state, common, suffix, fmt, form)


def _add_value_stream(
    router: APIRouter,
    state: AppState,
    common: dict[str, Any],
    suffix: str,
    fmt: ExportFormat,
    form: str,
) -> None:
    media = fmt.media_type.split(";")[0]
    responses = {**common["responses"], 200: {"description": form, "content": {media: {}}}}

    @router.get(
        f"{PREFIX}/values{suffix}",
        summary=f"Every value of a values query, streamed as {form}",
        description=(
            "The same filters and the same rows as /api/v1/values, without limit and offset: "
            "the whole answer, streamed a batch at a time, byte for byte the file that "
            f"/vienti gives in the form {fmt.value}. Bad parameters get the usual JSON error "
            "before the first byte."
        ),
        response_class=StreamingResponse,
        responses=responses,
        tags=common["tags"],
        name=f"values{suffix}",
    )
    def value_stream(
        indicator: IndicatorParam = None,
        phenomenon: PhenomenonParam = None,
        area: AreaParam = None,
        level: LevelParam = None,
        parent: ParentParam = None,
        year_from: YearParam = None,
        year_to: YearParam = None,
        latest: LatestParam = False,
        sex: SexParam = "total",
        age_group: AgeParam = "total",
        lang: Lang = "fi",
    ) -> Response:
        query = ValueQuery(
            indicators=_split(indicator),
            phenomenon=phenomenon,
            areas=_split(area),
            level=level,
            parent=parent,
            year_from=year_from,
            year_to=year_to,
            latest=latest,
            sex=sex,
            age_group=age_group,
            lang=lang,
        )
        reader = state.cube()
        try:
            # Checked here, before the first byte: a bad value is the API's JSON error.
            selection = ValueSelection(reader, state.catalogue, state.division, query)
        except BaseException:
            reader.close()
            raise

        def chunks() -> Iterator[bytes]:
            try:
                if fmt is ExportFormat.JSONSTAT:
                    yield from stream_jsonstat(selection)
                else:
                    yield from stream_csv(selection, finnish=fmt is ExportFormat.CSV_FI)
            finally:
                reader.close()

        day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
        name = f"arvot-{day}{fmt.suffix}"
        return StreamingResponse(
            chunks(),
            media_type=fmt.media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _api_routes(router: APIRouter) -> list[Any]:
    return [
        r
        for r in router.routes
        if getattr(r, "include_in_schema", False) and getattr(r, "path", "").startswith(PREFIX)
    ]


def _add_openapi(router: APIRouter) -> None:
    cached: dict[str, dict[str, Any]] = {}

    def document() -> dict[str, Any]:
        if "doc" not in cached:
            cached["doc"] = get_openapi(
                title="raketieto API",
                version=f"v1 ({__version__})",
                description=(
                    "Avoin rajapinta rakenteellisen sosiaalityön tietopohjaan: alueet, ilmiöt, "
                    "indikaattorit määritelmineen ja arvot. Lähde: THL / Tilastokeskus, "
                    "CC BY 4.0. Virheet ovat aina muotoa "
                    '{"error": {"code", "message", "parameter", "value", "expected"}}.'
                ),
                routes=_api_routes(router),
            )
        return cached["doc"]

    @router.get(f"{PREFIX}/openapi.json", include_in_schema=False)
    def openapi() -> Response:
        return JSONResponse(document())

    @router.get(f"{PREFIX}/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> Response:
        return HTMLResponse(docs_html(document()))


def _add_fallbacks(router: APIRouter) -> None:
    @router.get(PREFIX + "/{rest:path}", include_in_schema=False)
    def unknown(rest: str) -> Response:
        return error_response(
            404,
            "not_found",
            f"Rajapinnassa ei ole osoitetta '{PREFIX}/{rest}'; katso {PREFIX}/docs.",
            parameter="path",
            value=f"{PREFIX}/{rest}",
        )

    @router.options(PREFIX + "/{rest:path}", include_in_schema=False)
    def preflight(rest: str) -> Response:
        return Response(status_code=204, headers=PREFLIGHT_HEADERS)

    @router.options("/vienti/{rest:path}", include_in_schema=False)
    def preflight_downloads(rest: str) -> Response:
        return Response(status_code=204, headers=PREFLIGHT_HEADERS)
