"""URLs of views: the whole state of a view lives in its path and query."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request

from raketieto.web.i18n import DEFAULT_LANGUAGE

# The query parameters that make up a view's state; anything else in a URL is dropped.
STATE_PARAMS = ("indicator", "lang", "level", "year")


def _state(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in STATE_PARAMS}


def state_key(request: Request) -> tuple[tuple[str, str], ...]:
    """The view state of a request as a hashable key (for caching pages)."""
    return tuple(sorted(_state(request).items()))


def url_with(request: Request, path: str | None = None, **changes: object) -> str:
    """The current URL (or path) with query parameters changed; None removes one.

    The language is dropped when it is the default, so that Finnish URLs stay short.
    """
    params = _state(request)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    if params.get("lang") == DEFAULT_LANGUAGE:
        params.pop("lang")
    target = path if path is not None else request.url.path
    query = urlencode(sorted(params.items()))
    return f"{target}?{query}" if query else target


def export_url(request: Request, fmt: str) -> str:
    """The download URL of the current view: /vienti + its path, its query and format=."""
    params = _state(request)
    params["format"] = fmt
    return f"/vienti{request.url.path}?{urlencode(sorted(params.items()))}"
