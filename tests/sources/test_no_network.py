"""The default test run and the demo build never leave loopback."""

from __future__ import annotations

import httpx
import pytest

from raketieto.catalogue import Catalogue
from raketieto.pipeline.demo import demo_facts
from raketieto.regions import Division
from raketieto.sources.http import HttpClient, RetryPolicy, SourceError
from tests.sources.fakeserver import FakeServer


def test_the_guard_refuses_a_real_host() -> None:
    client = HttpClient(retry=RetryPolicy(max_attempts=1), min_interval=0)
    with client, pytest.raises(SourceError, match="yhteysvirhe"):
        client.get_json("https://sotkanet.fi/rest/1.1/regions")


def test_the_guard_lets_loopback_through(server: FakeServer) -> None:
    assert httpx.get(server.url + "rest/1.1/indicators/186").json()["id"] == 186


def test_the_demo_facts_need_no_network(catalogue: Catalogue, division: Division) -> None:
    # `make demo` runs `raketieto build-demo`, which builds from demo_facts alone.
    facts = demo_facts(catalogue, division)
    assert not facts.empty
