"""One app on the demo cube for the web tests (built once per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from raketieto.settings import Settings


@pytest.fixture(scope="session")
def client(demo_settings: Settings) -> Iterator[TestClient]:
    """A TestClient of the app on the demo cube."""
    from raketieto.web.app import create_app

    with TestClient(create_app(demo_settings)) as test_client:
        yield test_client
