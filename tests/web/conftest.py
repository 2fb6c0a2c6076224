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


@pytest.fixture(scope="session")
def demo_catalogue_ids() -> dict[str, set[str]]:
    """Indicator ids of the shipped catalogue: all, per phenomenon and per source kind."""
    from raketieto.catalogue import load_catalogue

    groups: dict[str, set[str]] = {"all": set()}
    for indicator in load_catalogue().indicators.values():
        groups["all"].add(indicator.id)
        groups.setdefault(indicator.source.kind, set()).add(indicator.id)
        for phenomenon in indicator.phenomena():
            groups.setdefault(phenomenon, set()).add(indicator.id)
    return groups
