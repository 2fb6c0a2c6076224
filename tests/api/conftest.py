"""The web app on the demo cube, through create_app, with a test client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from raketieto.settings import Settings


def make_app(settings: Settings) -> FastAPI:
    """The app the service runs (create_app), which mounts the API router."""
    from raketieto.web.app import create_app

    return create_app(settings)


@pytest.fixture(scope="module")
def app(demo_settings: Settings) -> FastAPI:
    """The app with a request limit high enough never to be reached by the tests."""
    return make_app(demo_settings.model_copy(update={"api_requests_per_minute": 1_000_000}))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the app."""
    with TestClient(app) as test_client:
        yield test_client
