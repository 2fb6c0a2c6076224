"""The HTTP layer against a real loopback server: retries, Retry-After, timeouts, bad bodies."""

from __future__ import annotations

import datetime as dt
import email.utils
import socket
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raketieto.errors import RaketietoError
from raketieto.sources.http import HttpClient, RetryPolicy, SourceError, batched, decode_json
from tests.sources.fakeserver import FakeServer, Reply

HTML = Reply(
    200,
    b"<!DOCTYPE html><html><body><h1>Palvelukatko</h1></body></html>",
    {"Content-Type": "text/html; charset=utf-8"},
)


def test_a_good_answer_is_decoded(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    with make_client() as client:
        fetched = client.get_json(server.url + "rest/1.1/indicators/186")
    assert fetched.data["id"] == 186
    assert not fetched.from_cache
    assert fetched.retrieved_at.tzinfo is not None


def test_500_is_retried_with_growing_backoff(
    server: FakeServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.route("/flaky", Reply(500, b"oops"), Reply(502, b"oops"), Reply.json({"ok": True}))
    with make_client(attempts=5, random_fraction=lambda: 0.0) as client:
        assert client.get_json(server.url + "flaky").data == {"ok": True}
    assert len(server.requests_to("/flaky")) == 3
    assert sleeps == [0.5, 1.0]


def test_jitter_adds_at_most_its_fraction(
    server: FakeServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.route("/flaky", Reply(503, b""), Reply.json([]))
    with make_client(random_fraction=lambda: 1.0) as client:
        client.get_json(server.url + "flaky")
    assert sleeps == [0.5 * 1.25]


def test_500_until_the_cap_ends_in_a_clear_error(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/down", Reply(500, b"Internal Server Error"))
    with make_client(attempts=3) as client, pytest.raises(SourceError) as caught:
        client.get_json(server.url + "down", [("years", "2020")])
    assert len(server.requests_to("/down")) == 3
    assert "HTTP 500" in caught.value.message
    assert "/down?years=2020" in caught.value.message
    assert "3 yrityksellä" in caught.value.message


def test_429_waits_as_long_as_retry_after_says(
    server: FakeServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.route("/busy", Reply(429, b"", {"Retry-After": "7"}), Reply.json({"ok": 1}))
    with make_client() as client:
        assert client.get_json(server.url + "busy").data == {"ok": 1}
    assert sleeps == [7.0]


def test_429_with_an_http_date(
    server: FakeServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    now = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    later = email.utils.format_datetime(now + dt.timedelta(seconds=30), usegmt=True)
    server.route("/busy", Reply(429, b"", {"Retry-After": later}), Reply.json({"ok": 1}))
    with make_client(now=lambda: now) as client:
        client.get_json(server.url + "busy")
    assert sleeps == [30.0]


def test_429_asking_too_long_a_wait_fails_at_once(
    server: FakeServer, make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    server.route("/busy", Reply(429, b"", {"Retry-After": "86400"}))
    with make_client() as client, pytest.raises(SourceError, match="Retry-After"):
        client.get_json(server.url + "busy")
    assert sleeps == []
    assert len(server.requests_to("/busy")) == 1


def test_a_timeout_is_retried_then_reported(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/slow", Reply.json({"late": True}, delay=1.0))
    with make_client(timeout=0.15, attempts=2) as client, pytest.raises(SourceError) as caught:
        client.get_json(server.url + "slow")
    assert "aikakatkaisu" in caught.value.message
    assert caught.value.url is not None and caught.value.url.endswith("/slow")


def test_a_refused_connection_is_retried_then_reported(
    make_client: Callable[..., HttpClient], sleeps: list[float]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with make_client(attempts=2) as client, pytest.raises(SourceError, match="yhteysvirhe"):
        client.get_json(f"http://127.0.0.1:{port}/nothing")
    assert len(sleeps) == 1


def test_404_is_not_retried(server: FakeServer, make_client: Callable[..., HttpClient]) -> None:
    with make_client() as client, pytest.raises(SourceError, match="HTTP 404") as caught:
        client.get_json(server.url + "rest/1.1/indicators/999999")
    assert caught.value.status == 404
    assert len(server.requests_to("/rest/1.1/indicators/999999")) == 1


def test_an_html_page_instead_of_json(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/page", HTML)
    with make_client() as client, pytest.raises(SourceError) as caught:
        client.get_json(server.url + "page", expect="Sotkanetin aluelista")
    assert "HTML-sivun" in caught.value.message
    assert "Sotkanetin aluelista" in caught.value.message
    assert "/page" in caught.value.message


def test_html_sent_as_json_is_still_recognised(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/page", Reply(body=b"<html>error</html>"))
    with make_client() as client, pytest.raises(SourceError, match="HTML-sivun"):
        client.get_json(server.url + "page")


def test_truncated_json(server: FakeServer, make_client: Callable[..., HttpClient]) -> None:
    whole = b'[{"indicator": 493, "region": 2, "year": 2010, "value": 8.6}]'
    server.route("/cut", Reply(body=whole[:30]))
    with make_client() as client, pytest.raises(SourceError, match="katkenneen") as caught:
        client.get_json(server.url + "cut")
    assert "/cut" in caught.value.message


def test_an_empty_answer(server: FakeServer, make_client: Callable[..., HttpClient]) -> None:
    server.route("/empty", Reply(body=b""))
    with make_client() as client, pytest.raises(SourceError, match="tyhjän vastauksen"):
        client.get_json(server.url + "empty")


def test_post_sends_the_json_body(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/q", Reply.json({"ok": True}))
    with make_client() as client:
        client.post_json(server.url + "q", {"query": [], "response": {"format": "json-stat2"}})
    assert server.requests_to("/q")[0].body == {"query": [], "response": {"format": "json-stat2"}}


def test_requests_keep_the_minimum_interval(server: FakeServer) -> None:
    waits: list[float] = []
    ticks = iter([10.0, 10.25, 20.0])
    server.route("/x", Reply.json(1))
    client = HttpClient(min_interval=1.0, sleep=waits.append, clock=lambda: next(ticks))
    with client:
        client.get_json(server.url + "x")
        client.get_json(server.url + "x")
        client.get_json(server.url + "x")
    # The second request came 0.25 s after the first and waited the rest; the third needed none.
    assert waits == [0.75]
    assert client.requests_sent == 3


def test_repeated_parameters_are_sent_in_order(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/p", Reply.json([]))
    with make_client() as client:
        client.get_json(
            server.url + "p", [("years", "2010"), ("years", "2011"), ("genders", "total")]
        )
    assert server.requests_to("/p")[0].query == [
        ("years", "2010"),
        ("years", "2011"),
        ("genders", "total"),
    ]


def test_source_error_is_a_raketieto_error() -> None:
    assert issubclass(SourceError, RaketietoError)
    with pytest.raises(SourceError, match="odotettiin X"):
        decode_json("  ", "application/json", "http://h/u", "X")


@given(
    st.integers(min_value=1, max_value=30),
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=0.01, max_value=5.0),
)
def test_backoff_doubles_up_to_the_cap_plus_jitter(
    attempt: int, fraction: float, base: float
) -> None:
    policy = RetryPolicy(base_delay=base, max_delay=60.0, jitter=0.25)
    delay = policy.backoff(attempt, fraction)
    plain = min(60.0, base * 2 ** (attempt - 1))
    assert plain <= delay <= plain * 1.25 + 1e-9


@given(st.lists(st.integers(), max_size=40), st.integers(min_value=1, max_value=7))
def test_batches_cover_everything_in_order(items: list[int], size: int) -> None:
    chunks = list(batched(items, size))
    assert [x for chunk in chunks for x in chunk] == items
    assert all(1 <= len(chunk) <= size for chunk in chunks)


def test_a_source_that_does_not_answer_is_not_asked_again(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/slow", Reply.json([], delay=0.5))
    with make_client(timeout=0.1, attempts=2) as client:
        with pytest.raises(SourceError, match="aikakatkaisu"):
            client.get_json(server.url + "slow")
        with pytest.raises(SourceError, match="Pyyntöä ei tehty") as caught:
            client.get_json(server.url + "rest/1.1/regions")
    assert len(server.requests_to("/slow")) == 2
    assert server.requests_to("/rest/1.1/regions") == []
    assert "aikakatkaisu" in caught.value.message


def test_a_server_error_does_not_stop_other_requests(
    server: FakeServer, make_client: Callable[..., HttpClient]
) -> None:
    server.route("/down", Reply(500, b"oops"))
    with make_client(attempts=2) as client:
        with pytest.raises(SourceError, match="HTTP 500"):
            client.get_json(server.url + "down")
        assert client.get_json(server.url + "rest/1.1/indicators/186").data["id"] == 186
