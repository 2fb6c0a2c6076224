"""`raketieto serve`: the reporting service over HTTP on settings.host and settings.port."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from raketieto.cli.context import console, settings_from

if TYPE_CHECKING:
    from fastapi import FastAPI


def app_from_environment() -> FastAPI:
    """The web app with settings from the RAKETIETO_* environment (each worker builds one)."""
    from raketieto.web.app import create_app

    return create_app(settings_from())


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Osoite (oletus asetuksista).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Portti (oletus asetuksista).")] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Palvelinprosessien määrä; ne jakavat saman kuutiotiedoston vain luettavaksi.",
        ),
    ] = 1,
) -> None:
    """Serve the reporting service (tilannekuva, ilmiöstä tiiviisti, ilmiönäkymä)."""
    import uvicorn

    settings = settings_from(host=host, port=port)
    console.print(f"raketieto: http://{settings.host}:{settings.port}/")
    if workers == 1:
        from raketieto.web.app import create_app

        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, log_level="warning"
        )
        return
    # Several processes need the app by its import path; each reads the same environment, opens
    # the cube read-only and notices a swapped-in cube by itself (web.state.AppState).
    uvicorn.run(
        "raketieto.cli.serve:app_from_environment",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        log_level="warning",
    )
