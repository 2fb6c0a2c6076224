"""Downloads of the views, /vienti + the page's path, and a county's whole knowledge base.

Each route calls the same report function as its page (through raketieto.reports.tidy), with
the page's query parameters, so a download holds exactly the numbers the page shows.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from raketieto.errors import YearNotAvailableError
from raketieto.exports import ExportFormat, render
from raketieto.exports.county_workbooks import shelf_of, workbook_key, write_county_workbook
from raketieto.exports.shelf import KeptWorkbook
from raketieto.regions import Level
from raketieto.reports.tidy import (
    TidyTable,
    glance_export,
    situation_export,
    view_export,
)
from raketieto.web.api.errors import ERROR_RESPONSES
from raketieto.web.state import AppState

log = logging.getLogger(__name__)

FormatName = Literal["xlsx", "csv", "csv-fi", "json", "jsonstat"]
Lang = Annotated[Literal["fi", "sv", "en"], Query(description="Kieli: fi, sv tai en.")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Vuosi (oletus viimeisin).")]
Indicator = Annotated[
    str | None, Query(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Indikaattori.")
]
LevelName = Literal["yta", "hva", "municipality"]
_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {
        "description": "The file.",
        "content": {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            "text/csv": {},
            "application/json": {},
        },
    },
}


def file_response(table: TidyTable, fmt: ExportFormat, stem: str) -> Response:
    """The rendered table as a download named stem + date + suffix."""
    stem = re.sub(r"[^A-Za-z0-9-]", "_", stem)
    day = table.extracted_at.astimezone(dt.UTC).strftime("%Y-%m-%d")
    name = f"{stem}-{day}{fmt.suffix}"
    return Response(
        render(table, fmt),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _disposition(response: Response) -> dict[str, str]:
    return {"Content-Disposition": response.headers["Content-Disposition"]}


def add_download_routes(router: APIRouter, state: AppState) -> None:
    """Add the /vienti routes to router."""
    common: dict[str, Any] = {"responses": _FILE_RESPONSES, "tags": ["downloads"]}

    def check_year(year: int | None) -> None:
        if year is None:
            return
        with state.cube() as reader:
            years = reader.years()
        if year not in years:
            raise YearNotAvailableError(year, years, subject="kuutio")

    @router.get("/vienti/tilannekuva/{area}", summary="Tilannekuva as a file", **common)
    def situation(
        area: str, format: FormatName = "xlsx", lang: Lang = "fi", year: Year = None
    ) -> Response:
        check_year(year)

        def compute() -> TidyTable:
            with state.cube() as reader:
                return situation_export(
                    reader, state.catalogue, state.division, area, year=year, lang=lang
                )

        table = state.cached(("vienti", "tilannekuva", area, year, lang), compute)
        return file_response(table, ExportFormat(format), f"tilannekuva-{area}")

    @router.get(
        "/vienti/ilmio/{phenomenon}/{area}", summary="Ilmiöstä tiiviisti as a file", **common
    )
    def glance(
        phenomenon: str,
        area: str,
        format: FormatName = "xlsx",
        lang: Lang = "fi",
        year: Year = None,
        indicator: Indicator = None,
        level: LevelName | None = None,
    ) -> Response:
        check_year(year)

        def compute() -> TidyTable:
            with state.cube() as reader:
                return glance_export(
                    reader,
                    state.catalogue,
                    state.division,
                    area,
                    phenomenon,
                    indicator=indicator,
                    level=Level(level) if level else None,
                    year=year,
                    lang=lang,
                )

        key = ("vienti", "ilmio", phenomenon, area, indicator, level, year, lang)
        table = state.cached(key, compute)
        return file_response(table, ExportFormat(format), f"ilmio-{phenomenon}-{area}")

    @router.get(
        "/vienti/ilmionakyma/{phenomenon}/{area}", summary="Ilmiönäkymä as a file", **common
    )
    def view(
        phenomenon: str,
        area: str,
        format: FormatName = "xlsx",
        lang: Lang = "fi",
        year: Year = None,
        indicator: Indicator = None,
    ) -> Response:
        check_year(year)

        def compute() -> TidyTable:
            with state.cube() as reader:
                return view_export(
                    reader,
                    state.catalogue,
                    state.division,
                    area,
                    phenomenon,
                    indicator=indicator,
                    year=year,
                    lang=lang,
                )

        key = ("vienti", "ilmionakyma", phenomenon, area, indicator, year, lang)
        table = state.cached(key, compute)
        return file_response(table, ExportFormat(format), f"ilmionakyma-{phenomenon}-{area}")

    @router.get(
        "/vienti/tietopohja/{county}.xlsx",
        summary="A county's whole knowledge base as Excel",
        **common,
    )
    def knowledge_base(county: str, lang: Lang = "fi") -> Response:
        def write(target: IO[bytes]) -> str:
            with state.cube() as reader:
                return write_county_workbook(
                    reader, state.catalogue, state.division, county, lang, target
                )

        with state.cube():  # without a cube, the usual 503 answer
            stamp = state.cube_stamp()
        key = workbook_key(county, lang)
        shelf = shelf_of(state.settings)

        def compute() -> KeptWorkbook | None:
            if stamp is None:  # the cube went away just now
                return None
            # Made ahead by the builder (Finnish), or kept by this or another server process.
            found = shelf.find(stamp, key)
            if found is not None:
                return found
            try:
                return shelf.keep(stamp, key, write)
            except OSError as error:  # e.g. a full disk: made again for each request
                log.warning("county workbook %s not kept: %s", key, error)
                return None

        kept = state.cached(("vienti", "tietopohja", key), compute)
        if kept is not None:
            try:
                handle: IO[bytes] = kept.path.open("rb")
            except FileNotFoundError:  # removed: a newer cube went live just now
                kept = None
            else:
                size, name = os.fstat(handle.fileno()).st_size, kept.name
        if kept is None:
            handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
            try:
                name = write(handle)
                size = handle.tell()
                handle.seek(0)
            except BaseException:
                handle.close()
                raise
        headers = {**_attachment(name), "Content-Length": str(size)}
        return StreamingResponse(
            _chunks(handle), media_type=ExportFormat.XLSX.media_type, headers=headers
        )


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(1 << 20):
            yield chunk
