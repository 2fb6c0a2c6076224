"""The raw-response cache: what it stores, offline mode, and never a half-written entry."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from raketieto.settings import Settings
from raketieto.sources.cache import ResponseCache
from raketieto.sources.http import HttpClient, SourceError
from tests.sources.fakeserver import FakeServer

WHEN = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def _store(cache: ResponseCache, text: str = "[1, 2]") -> None:
    cache.store(
        "GET",
        "https://sotkanet.fi/rest/1.1/json",
        [("indicator", "493"), ("years", "2010")],
        None,
        text=text,
        status=200,
        content_type="application/json",
        retrieved_at=WHEN,
    )


def test_an_entry_keeps_url_parameters_time_and_raw_body(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    _store(cache, '[{"value": 8.6}]')
    entry = cache.get(
        "GET", "https://sotkanet.fi/rest/1.1/json", [("years", "2010"), ("indicator", "493")], None
    )
    assert entry is not None
    assert entry.text == '[{"value": 8.6}]'
    assert entry.retrieved_at == WHEN
    assert entry.params == (("indicator", "493"), ("years", "2010"))
    raw = json.loads(next(tmp_path.glob("*/*.json")).read_text("utf-8"))
    assert raw["url"] == "https://sotkanet.fi/rest/1.1/json"
    assert raw["retrieved_at"].startswith("2025-03-01T12:00:00")


def test_the_key_ignores_parameter_order_but_not_values() -> None:
    a = ResponseCache.key("GET", "u", [("years", "1"), ("years", "2")], None)
    b = ResponseCache.key("GET", "u", [("years", "2"), ("years", "1")], None)
    c = ResponseCache.key("GET", "u", [("years", "3"), ("years", "1")], None)
    d = ResponseCache.key("POST", "u", [], {"query": [1]})
    assert a == b
    assert len({a, c, d}) == 3


def test_for_source_lives_under_the_settings_cache_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    cache = ResponseCache.for_source(settings, "sotkanet")
    assert cache.directory == settings.cache_dir / "sotkanet"
    assert cache.directory.is_relative_to(tmp_path)


def test_offline_without_an_entry_fails_naming_the_request(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, offline=True)
    with pytest.raises(SourceError) as caught:
        cache.lookup("GET", "https://sotkanet.fi/rest/1.1/regions", [], None)
    assert "https://sotkanet.fi/rest/1.1/regions" in caught.value.message
    assert "--offline" in caught.value.message


def test_offline_serves_the_cache_without_any_network(tmp_path: Path) -> None:
    _store(ResponseCache(tmp_path))

    def no_network(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"offline mode went online: {request.url}")

    client = HttpClient(transport=httpx.MockTransport(no_network), min_interval=0)
    fetched = client.get_json(
        "https://sotkanet.fi/rest/1.1/json",
        [("indicator", "493"), ("years", "2010")],
        cache=ResponseCache(tmp_path, offline=True),
    )
    assert fetched.data == [1, 2]
    assert fetched.from_cache
    assert fetched.retrieved_at == WHEN


def test_online_fetches_anew_and_stores_what_it_got(
    tmp_path: Path, server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    cache = ResponseCache(tmp_path)
    url = server.url + "rest/1.1/indicators/186"
    with make_client() as client:
        first = client.get_json(url, cache=cache)
        second = client.get_json(url, cache=cache)
    assert not first.from_cache and not second.from_cache
    assert len(server.requests_to("/rest/1.1/indicators/186")) == 2
    entry = cache.get("GET", url, [], None)
    assert entry is not None and json.loads(entry.text)["id"] == 186


def test_a_fresh_entry_is_reused_within_max_age(
    tmp_path: Path, server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    cache = ResponseCache(tmp_path, max_age=dt.timedelta(days=1))
    url = server.url + "rest/1.1/indicators/186"
    with make_client() as client:
        client.get_json(url, cache=cache)
        again = client.get_json(url, cache=cache)
    assert again.from_cache
    assert len(server.requests_to("/rest/1.1/indicators/186")) == 1


def test_a_bad_answer_is_not_cached(
    tmp_path: Path, server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    from tests.sources.fakeserver import Reply

    server.route("/bad", Reply(body=b"<html>maintenance</html>"))
    cache = ResponseCache(tmp_path)
    with make_client() as client, pytest.raises(SourceError):
        client.get_json(server.url + "bad", cache=cache)
    assert cache.entries() == []


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ResponseCache(tmp_path)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        _store(cache)
    monkeypatch.undo()
    assert cache.entries() == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_rewriting_an_entry_replaces_it_whole(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    _store(cache, "[1]")
    _store(cache, "[2]")
    assert [e.text for e in cache.entries()] == ["[2]"]
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []


def test_a_corrupt_entry_is_reported_not_served(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, offline=True)
    _store(cache)
    path = next(tmp_path.glob("*/*.json"))
    path.write_text('{"url": "x", "tex', encoding="utf-8")
    with pytest.raises(SourceError, match="vioittunut"):
        cache.lookup(
            "GET",
            "https://sotkanet.fi/rest/1.1/json",
            [("indicator", "493"), ("years", "2010")],
            None,
        )
