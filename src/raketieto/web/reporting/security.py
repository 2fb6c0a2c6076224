"""Signed session cookies and CSRF tokens.

The session lives in one cookie signed with settings.secret_key (or a random key kept in the
data folder): the user id, a CSRF token and when the login happened. Nothing secret is in it.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from raketieto.settings import Settings

SESSION_COOKIE = "raketieto_session"
SESSION_SECONDS = 8 * 60 * 60
KEY_FILE = "secret_key"
CSRF_FIELD = "csrf_token"


def load_secret_key(settings: Settings) -> str:
    """settings.secret_key, or the key file in data_dir (made with a random key on first start)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    return _write_key(path)


def _write_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: if two processes start at once, the second one reads the first one's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


@dataclass(frozen=True)
class SessionData:
    """What the session cookie holds: the user (None before login) and the CSRF token."""

    csrf: str
    user_id: int | None = None
    oidc_state: str | None = None
    oidc_nonce: str | None = None
    next_path: str | None = None


def new_session(user_id: int | None = None) -> SessionData:
    """A session with a fresh CSRF token (a new one at every login)."""
    return SessionData(csrf=secrets.token_urlsafe(32), user_id=user_id)


class SessionSigner:
    """Signs session data into a cookie value and checks it back (expired or forged: None)."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="raketieto-session")

    def dumps(self, data: SessionData) -> str:
        """The cookie value for data."""
        payload: dict[str, object] = {"c": data.csrf}
        if data.user_id is not None:
            payload["u"] = data.user_id
        if data.oidc_state is not None:
            payload["s"] = data.oidc_state
            payload["n"] = data.oidc_nonce
            payload["x"] = data.next_path
        return self._serializer.dumps(payload)

    def loads(self, value: str | None) -> SessionData | None:
        """The session in a cookie value, or None when missing, forged, malformed or expired."""
        if not value:
            return None
        try:
            payload = self._serializer.loads(value, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("c"), str):
            return None
        user = payload.get("u")
        state, nonce, next_path = payload.get("s"), payload.get("n"), payload.get("x")
        return SessionData(
            csrf=payload["c"],
            user_id=user if isinstance(user, int) and not isinstance(user, bool) else None,
            oidc_state=state if isinstance(state, str) else None,
            oidc_nonce=nonce if isinstance(nonce, str) else None,
            next_path=next_path if isinstance(next_path, str) else None,
        )


def csrf_matches(session: SessionData | None, submitted: object) -> bool:
    """True when the form's token is the session's (compared in constant time)."""
    if session is None or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())


def safe_next(path: str | None, default: str) -> str:
    """A local path to go to after login; anything pointing elsewhere becomes default."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path


def _trusted(client: str | None, allowed: str) -> bool:
    """True when client is one of the proxies in allowed ('*', addresses, networks)."""
    entries = [e.strip() for e in allowed.split(",") if e.strip()]
    if "*" in entries:
        return True
    if client is None:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(e, strict=False) for e in entries)


def served_over_https(request: Request, settings: Settings) -> bool:
    """True when the visitor's connection is HTTPS: this request came over TLS, or through a
    trusted proxy (settings.forwarded_allow_ips) that says X-Forwarded-Proto: https."""
    if request.url.scheme == "https":
        return True
    if not settings.forwarded_allow_ips.strip():
        return False
    client = request.client.host if request.client is not None else None
    if not _trusted(client, settings.forwarded_allow_ips):
        return False
    # The first value is what the outermost proxy saw from the visitor.
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https"


def cookie_is_secure(request: Request, settings: Settings) -> bool:
    """The session cookie is Secure when settings say so or the visitor came over HTTPS."""
    return settings.secure_cookies or served_over_https(request, settings)
