"""`raketieto serve`: the reporting service over HTTP on settings.host and settings.port."""

from __future__ import annotations

from typing import Annotated

import typer

from raketieto.cli.context import console, settings_from


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Osoite (oletus asetuksista).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Portti (oletus asetuksista).")] = None,
) -> None:
    """Serve the reporting service (tilannekuva, ilmiöstä tiiviisti, ilmiönäkymä)."""
    import uvicorn

    from raketieto.web.app import create_app

    settings = settings_from(host=host, port=port)
    app = create_app(settings)
    console.print(f"raketieto: http://{settings.host}:{settings.port}/")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
