"""What every API and download route does around its handler: the request limit, the JSON
error shape, ETag and Cache-Control, and CORS for reads.

It lives in a route class rather than in app middleware so that the API router carries it
wherever it is included, and so that the HTML pages keep their own error pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from raketieto.web.api.errors import error_response, from_exception
from raketieto.web.api.limits import RateLimiter, retry_after

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
#: The cube changes when the pipeline runs (at most daily); five minutes keeps clients fresh.
CACHE_CONTROL = "public, max-age=300"

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def client_key(request: Request) -> str:
    """Who is asking: the peer address (a proxy in front must pass the real one through)."""
    return request.client.host if request.client else "unknown"


def etag_of(body: bytes) -> str:
    """A strong ETag from the body's content."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(header: str, etag: str) -> bool:
    """True when an If-None-Match header names etag (weak comparison, as RFC 9110 asks)."""
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def route_class(limiter: RateLimiter) -> type[APIRoute]:
    """An APIRoute class whose routes share one limiter."""

    class ProtectedRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            original = super().get_route_handler()

            async def handler(request: Request) -> Response:
                wait = limiter.take(client_key(request))
                if wait is not None:
                    return error_response(
                        429,
                        "rate_limited",
                        "Liian monta pyyntöä; yritä uudelleen Retry-After-otsakkeen "
                        "kertoman ajan kuluttua.",
                        headers={"Retry-After": retry_after(wait), **CORS_HEADERS},
                    )
                try:
                    response = await original(request)
                except Exception as error:
                    failed = from_exception(request, error)
                    if failed is None:
                        raise
                    failed.headers.update(CORS_HEADERS)
                    return failed
                return finish(request, response)

            return handler

    return ProtectedRoute


def finish(request: Request, response: Response) -> Response:
    """Add CORS, caching and ETag headers; answer 304 when the client has this body already."""
    response.headers.update(CORS_HEADERS)
    if response.status_code != 200 or isinstance(response, StreamingResponse):
        return response
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    etag = etag_of(bytes(response.body))
    response.headers["ETag"] = etag
    wanted = request.headers.get("if-none-match")
    if wanted is not None and etag_matches(wanted, etag):
        headers = {
            key: value
            for key, value in response.headers.items()
            if key.lower() in ("etag", "cache-control", "vary")
            or key.lower().startswith("access-control")
        }
        return Response(status_code=304, headers=headers)
    return response
