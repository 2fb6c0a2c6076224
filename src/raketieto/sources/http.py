"""A polite HTTP client for the open-data APIs: rate limits, retries, and checked JSON."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from raketieto import __version__
from raketieto.errors import RaketietoError

if TYPE_CHECKING:
    from raketieto.sources.cache import CacheEntry, ResponseCache

T = TypeVar("T")

#: Query parameters as ordered pairs, so that a key such as `years` can repeat.
Params = Sequence[tuple[str, str]]

# Header values must be ASCII.
USER_AGENT = f"raketieto/{__version__} (+structural social work reporting; python-httpx)"


class SourceError(RaketietoError):
    """A source answered wrongly or not at all; the message names the URL and what was expected."""

    exit_code = 3

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed request is tried again."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    #: Up to this fraction of the delay is added at random, so that clients do not march in step.
    jitter: float = 0.25
    #: A Retry-After longer than this is not waited for; the request fails instead.
    max_retry_after: float = 300.0

    def backoff(self, attempt: int, random_fraction: float) -> float:
        """Seconds to wait after the given failed attempt (1-based), with jitter."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return float(delay * (1.0 + self.jitter * random_fraction))


@dataclass(frozen=True)
class Fetched:
    """A decoded JSON answer with where it came from and when it was retrieved."""

    url: str
    params: tuple[tuple[str, str], ...]
    data: Any
    retrieved_at: dt.datetime
    from_cache: bool


class _Retryable(Exception):
    """Internal: an attempt failed in a way worth trying again."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


class HttpClient:
    """One connection pool with a minimum interval between requests and bounded retries."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        min_interval: float = 1.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        random_fraction: Callable[[], float] = random.random,
        now: Callable[[], dt.datetime] = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.min_interval = min_interval
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._random = random_fraction
        self._now = now
        self._last_request: float | None = None
        #: Why the source stopped answering at all (timeouts, refused connections), once it has.
        self.unreachable: str | None = None
        self.requests_sent = 0
        self._client = httpx.Client(
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def get_json(
        self,
        url: str,
        params: Params = (),
        *,
        cache: ResponseCache | None = None,
        expect: str = "JSON-vastausta",
    ) -> Fetched:
        """GET url and decode its JSON answer, through the cache when one is given."""
        return self._fetch("GET", url, tuple(params), None, cache, expect)

    def post_json(
        self,
        url: str,
        body: Mapping[str, Any],
        *,
        cache: ResponseCache | None = None,
        expect: str = "JSON-vastausta",
    ) -> Fetched:
        """POST a JSON body to url and decode its JSON answer, through the cache if given."""
        return self._fetch("POST", url, (), dict(body), cache, expect)

    def _fetch(
        self,
        method: str,
        url: str,
        params: tuple[tuple[str, str], ...],
        body: dict[str, Any] | None,
        cache: ResponseCache | None,
        expect: str,
    ) -> Fetched:
        if cache is not None:
            entry = cache.lookup(method, url, params, body)
            if entry is not None:
                return _from_entry(entry, expect)
        response = self._request(method, url, params, body)
        shown = str(response.request.url)
        text = response.text
        data = decode_json(text, response.headers.get("content-type", ""), shown, expect)
        retrieved_at = self._now()
        if cache is not None:
            cache.store(
                method,
                url,
                params,
                body,
                text=text,
                status=response.status_code,
                content_type=response.headers.get("content-type", ""),
                retrieved_at=retrieved_at,
            )
        return Fetched(url, params, data, retrieved_at, from_cache=False)

    def _request(
        self,
        method: str,
        url: str,
        params: tuple[tuple[str, str], ...],
        body: dict[str, Any] | None,
    ) -> httpx.Response:
        shown = display_url(url, params)
        if self.unreachable is not None:
            # A source that did not answer at all a moment ago is not asked again in this run:
            # waiting out every backoff for each remaining request would only delay the report.
            # No URL in the text: the same sentence for every skipped request groups them.
            raise SourceError(
                "Pyyntöä ei tehty, koska lähde ei vastannut aiemmin tässä haussa "
                f"({self.unreachable}).",
                url=shown,
            )
        attempts = max(1, self.retry.max_attempts)
        for attempt in range(1, attempts + 1):
            self._wait_for_turn()
            try:
                return self._attempt(method, url, params, body, shown)
            except _Retryable as failure:
                if attempt == attempts:
                    if failure.status is None:
                        self.unreachable = f"{failure.reason}, {attempts} yritystä"
                    raise SourceError(
                        f"Lähde ei vastannut kunnolla {attempts} yrityksellä osoitteessa {shown}: "
                        f"{failure.reason}; odotettiin onnistunutta JSON-vastausta.",
                        url=shown,
                        status=failure.status,
                    ) from None
                wait = failure.wait
                if wait is None:
                    wait = self.retry.backoff(attempt, self._random())
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_for_turn(self) -> None:
        # Politeness: never two requests closer together than min_interval, even across sources.
        now = self._clock()
        if self._last_request is not None:
            wait = self.min_interval - (now - self._last_request)
            if wait > 0:
                self._sleep(wait)
                now += wait
        self._last_request = now
        self.requests_sent += 1

    def _attempt(
        self,
        method: str,
        url: str,
        params: tuple[tuple[str, str], ...],
        body: dict[str, Any] | None,
        shown: str,
    ) -> httpx.Response:
        try:
            response = self._client.request(method, url, params=list(params), json=body)
        except httpx.TimeoutException:
            raise _Retryable("aikakatkaisu (timeout)") from None
        except httpx.TransportError as error:
            raise _Retryable(f"yhteysvirhe ({type(error).__name__})") from None
        status = response.status_code
        if status == 429:
            wait = self._retry_after(response.headers.get("retry-after"), shown)
            raise _Retryable("liikaa pyyntöjä (HTTP 429)", status, wait)
        if status >= 500:
            raise _Retryable(f"palvelinvirhe (HTTP {status})", status)
        if status >= 400:
            raise SourceError(
                f"Osoite {shown} vastasi HTTP {status} ({response.reason_phrase}); "
                "odotettiin onnistunutta JSON-vastausta. Tarkista tunniste tai osoite.",
                url=shown,
                status=status,
            )
        return response

    def _retry_after(self, header: str | None, shown: str) -> float | None:
        """Seconds the server asked us to wait (delta-seconds or an HTTP date), or None."""
        if header is None or not header.strip():
            return None
        text = header.strip()
        seconds: float
        if text.isdigit():
            seconds = float(text)
        else:
            try:
                when = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError):
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            seconds = max(0.0, (when - self._now()).total_seconds())
        if seconds > self.retry.max_retry_after:
            raise SourceError(
                f"Osoite {shown} pyysi odottamaan {seconds:.0f} s (Retry-After), mikä ylittää "
                f"rajan {self.retry.max_retry_after:.0f} s; yritä myöhemmin uudelleen.",
                url=shown,
                status=429,
            )
        return seconds


def _from_entry(entry: CacheEntry, expect: str) -> Fetched:
    shown = display_url(entry.url, entry.params)
    data = decode_json(entry.text, entry.content_type, shown, expect)
    return Fetched(entry.url, entry.params, data, entry.retrieved_at, from_cache=True)


def decode_json(text: str, content_type: str, url: str, expect: str) -> Any:
    """Decode a JSON body, turning HTML pages, empty and truncated bodies into SourceErrors."""
    stripped = text.strip()
    if not stripped:
        raise SourceError(f"Osoite {url} palautti tyhjän vastauksen; odotettiin {expect}.", url=url)
    lowered = content_type.lower()
    looks_html = stripped[:1] == "<" or "html" in lowered
    if looks_html:
        raise SourceError(
            f"Osoite {url} palautti HTML-sivun (Content-Type '{content_type or '-'}') "
            f"JSON-vastauksen sijaan; odotettiin {expect}. Palvelu voi olla huoltokatkolla.",
            url=url,
        )
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"Osoite {url} palautti katkenneen tai virheellisen JSON-vastauksen (kohta "
            f"{error.pos}/{len(stripped)}: {error.msg}); odotettiin {expect}.",
            url=url,
        ) from None


def display_url(url: str, params: Sequence[tuple[str, str]]) -> str:
    """The URL with its query string, as a person would paste it into a browser."""
    if not params:
        return url
    return str(httpx.URL(url, params=list(params)))


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks of at most size items, so that several years travel in one request."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
