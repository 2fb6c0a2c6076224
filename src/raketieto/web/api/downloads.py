"""Downloads of the views, /vienti + the page's path, and a county's whole knowledge base.

Each route calls the same report function as its page (through raketieto.reports.tidy), with
the page's query parameters, so a download holds exactly the numbers the page shows.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from raketieto.errors import YearNotAvailableError
from raketieto.exports import ExportFormat, render
from raketieto.exports.xlsx import write_xlsx
from raketieto.regions import Level
from raketieto.reports.tidy import (
    TidyTable,
    county_knowledge_base_columns,
    glance_export,
    situation_export,
    view_export,
)
from raketieto.web.api.errors import ERROR_RESPONSES
from raketieto.web.state import AppState

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
        def build() -> tuple[IO[bytes], int, str]:
            # Rows computed column-wise in the cube, the workbook streamed to a temporary file
            # and from it: memory is bounded by a batch, not by the workbook.
            target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
            try:
                with (
                    state.cube() as reader,
                    county_knowledge_base_columns(
                        reader, state.catalogue, state.division, county, lang
                    ) as table,
                ):
                    write_xlsx(table, target)
                    day = table.extracted_at.strftime("%Y-%m-%d")
                size = target.tell()
                target.seek(0)
            except BaseException:
                target.close()
                raise
            return target, size, f"tietopohja-{_stem(county)}-{day}.xlsx"

        fresh: list[tuple[IO[bytes], int, str]] = []

        def compute() -> Response | None:
            target, size, name = build()
            if size > _KEPT_BYTES:
                fresh.append((target, size, name))
                return None  # too large to keep: streamed afresh each time
            with target:
                body = target.read()
            return Response(body, media_type=media, headers=_attachment(name))

        media = ExportFormat.XLSX.media_type
        kept = state.cached(("vienti", "tietopohja", county, lang), compute)
        if kept is not None:
            return Response(kept.body, media_type=kept.media_type, headers=_disposition(kept))
        target, size, name = fresh.pop() if fresh else build()
        headers = {**_attachment(name), "Content-Length": str(size)}
        return StreamingResponse(_chunks(target), media_type=media, headers=headers)


#: A county workbook up to this size is kept in the app's cache (the demo's: about 1 MB).
_KEPT_BYTES = 16 * 1024 * 1024


def _stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", text)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(1 << 20):
            yield chunk
