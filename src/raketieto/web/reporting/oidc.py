"""OpenID Connect login (authorisation code flow) for production, when settings.oidc_issuer is set.

The provider is discovered from its /.well-known/openid-configuration; the ID token is checked
with joserfc (the JOSE library of the Authlib project, which Authlib's own jose module now
points to): signature against the provider's keys, issuer, audience, expiry and our nonce. The
account is the one whose oidc_subject is the token's 'sub' (linked by an administrator with
`raketieto users add --oidc-subject`); nobody is created automatically.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.responses import RedirectResponse, Response
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from raketieto.settings import Settings
from raketieto.store import audit
from raketieto.store.accounts import principal_for
from raketieto.store.errors import AuthenticationFailed
from raketieto.store.models import User
from raketieto.store.types import utcnow
from raketieto.web.reporting.pagekit import Ctx
from raketieto.web.reporting.security import SessionData, new_session, safe_next
from raketieto.web.reporting.services import Unavailable

CALLBACK_PATH = "/kirjaudu/oidc/paluu"
TIMEOUT = 10.0
ALGORITHMS = ["RS256", "ES256", "PS256"]


class OidcUnavailable(Unavailable):
    """OIDC is not configured or the provider cannot be reached (HTTP 503 via the frame)."""


@dataclass
class OidcClient:
    """The configured provider: discovered metadata and keys, fetched once and kept."""

    issuer: str
    client_id: str
    client_secret: str | None
    transport: httpx.BaseTransport | None = None
    _metadata: dict[str, Any] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _http(self) -> httpx.Client:
        return httpx.Client(timeout=TIMEOUT, transport=self.transport)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (its issuer must be the configured one)."""
        with self._lock:
            if self._metadata is None:
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                try:
                    with self._http() as http:
                        found = http.get(url).raise_for_status().json()
                except (httpx.HTTPError, ValueError):
                    raise OidcUnavailable(
                        f"Kirjautumispalvelua {self.issuer} ei tavoitettu; yritä myöhemmin."
                    ) from None
                if not isinstance(found, dict) or found.get("issuer") != self.issuer:
                    raise OidcUnavailable(
                        f"Kirjautumispalvelun {self.issuer} tiedot eivät vastaa asetusta."
                    )
                self._metadata = found
            return self._metadata

    def authorization_url(self, redirect_uri: str, state: str, nonce: str) -> str:
        """Where to send the browser to log in."""
        endpoint = str(self.metadata()["authorization_endpoint"])
        query = httpx.QueryParams(
            response_type="code",
            client_id=self.client_id,
            redirect_uri=redirect_uri,
            scope="openid profile",
            state=state,
            nonce=nonce,
        )
        return f"{endpoint}?{query}"

    def subject(self, code: str, redirect_uri: str, nonce: str) -> str:
        """Exchange the code for an ID token, check it, and return its subject."""
        meta = self.metadata()
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        auth = (self.client_id, self.client_secret or "")
        try:
            with self._http() as http:
                token = http.post(str(meta["token_endpoint"]), data=data, auth=auth)
                token.raise_for_status()
                id_token = token.json().get("id_token")
                keys = http.get(str(meta["jwks_uri"])).raise_for_status().json()
        except (httpx.HTTPError, ValueError, AttributeError):
            raise AuthenticationFailed(
                "Kirjautumispalvelu ei hyväksynyt kirjautumista; yritä uudelleen."
            ) from None
        if not isinstance(id_token, str):
            raise AuthenticationFailed("Kirjautumispalvelu ei antanut tunnistetta (ID token).")
        try:
            decoded = jwt.decode(id_token, KeySet.import_key_set(keys), algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError, TypeError):
            raise AuthenticationFailed(
                "Kirjautumispalvelun tunniste ei kelpaa (allekirjoitus, myöntäjä, vastaanottaja "
                "tai voimassaolo); kirjaudu uudelleen."
            ) from None
        return str(decoded.claims["sub"])


def make_oidc_client(
    settings: Settings, transport: httpx.BaseTransport | None = None
) -> OidcClient | None:
    """The OIDC client of the settings, or None when OIDC is off."""
    if not settings.oidc_issuer:
        return None
    if not settings.oidc_client_id:
        raise OidcUnavailable("OIDC-kirjautumiselle on annettava myös RAKETIETO_OIDC_CLIENT_ID.")
    return OidcClient(
        settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, transport
    )


def _client(ctx: Ctx) -> OidcClient:
    client = ctx.services.oidc
    if client is None:
        raise OidcUnavailable("Kirjautuminen organisaation tunnuksilla ei ole käytössä.")
    return client


def _redirect_uri(ctx: Ctx) -> str:
    return str(ctx.request.base_url).rstrip("/") + CALLBACK_PATH


def oidc_start(ctx: Ctx) -> Response:
    """Send the browser to the provider with a fresh state and nonce kept in the session."""
    client = _client(ctx)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    ctx.set_session = SessionData(
        csrf=ctx.session.csrf,
        user_id=ctx.session.user_id,
        oidc_state=state,
        oidc_nonce=nonce,
        next_path=safe_next(ctx.request.query_params.get("seuraava"), ""),
    )
    return RedirectResponse(client.authorization_url(_redirect_uri(ctx), state, nonce), 303)


def oidc_callback(ctx: Ctx) -> Response:
    """Finish the login: check state, token and account, then start a new session."""
    client = _client(ctx)
    params = ctx.request.query_params
    expected = ctx.session.oidc_state
    if params.get("error"):
        raise AuthenticationFailed("Kirjautumispalvelu keskeytti kirjautumisen.")
    given = params.get("state") or ""
    if not expected or not secrets.compare_digest(expected, given):
        raise AuthenticationFailed(
            "Kirjautumisen tila ei täsmää (vanhentunut tai väärennetty paluu); kirjaudu uudelleen."
        )
    code = params.get("code")
    if not code or ctx.session.oidc_nonce is None:
        raise AuthenticationFailed("Kirjautumispalvelun paluusta puuttuu koodi.")
    subject = client.subject(code, _redirect_uri(ctx), ctx.session.oidc_nonce)
    user = ctx.db.scalars(select(User).where(User.oidc_subject == subject)).one_or_none()
    if user is None or not user.active:
        raise AuthenticationFailed(
            "Tunnuksellesi ei ole tiliä tässä palvelussa; pyydä ylläpitäjää liittämään se."
        )
    user.last_login_at = utcnow()
    audit.record(ctx.db, principal_for(user), "auth.login_oidc", "user", user.id)
    next_path = ctx.session.next_path
    ctx.set_session = new_session(user.id)
    if next_path:
        return RedirectResponse(next_path, status_code=303)
    return ctx.redirect("/raportit")
