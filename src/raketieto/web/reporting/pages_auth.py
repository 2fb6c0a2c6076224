"""Login with a local account (limits, argon2 in its own pool, lockout) and logout."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from raketieto.errors import RaketietoError
from raketieto.store.errors import AuthenticationFailed, RateLimited
from raketieto.store.hashing import HashPoolBusy
from raketieto.store.login import (
    LoginOutcome,
    Verification,
    begin_login,
    finish_login,
    verify_password,
)
from raketieto.web.reporting.forms import FormLike, text
from raketieto.web.reporting.pagekit import Ctx, Deferred
from raketieto.web.reporting.security import new_session, safe_next
from raketieto.web.reporting.services import ReportingServices

HOME = "/raportit"


def client_key(request: Request) -> str:
    """The client address the per-address login limit counts."""
    client = request.client
    return client.host if client is not None else "?"


def login_guard(
    services: ReportingServices, request: Request, form: FormLike | None
) -> RaketietoError | None:
    """Before any database work or hash: the per-address and per-account limits (429), then
    room in the hash pool (503); both answer at once with Retry-After."""
    try:
        username = text(form, "username") or ""
    except RaketietoError:
        return None  # a malformed field: the page itself says so
    limited = services.limiter.check(client_key(request), username)
    if limited is not None:
        try:
            limited.raise_for_failure()
        except RateLimited as error:
            return error
    if services.hash_pool.full:
        return HashPoolBusy(
            "Kirjautumisia on juuri nyt liikaa; yritä uudelleen muutaman sekunnin kuluttua."
        )
    return None


def login_form(ctx: Ctx) -> Response:
    """The login page (also shown to a logged-in user, who may switch accounts)."""
    return ctx.render(
        "reporting/login.html",
        {"next_path": safe_next(ctx.request.query_params.get("seuraava"), ""), "error": None},
    )


def login_submit(ctx: Ctx) -> Response | Deferred:
    """The account, then its password hash checked in the bounded hash pool.

    login_guard has already applied the per-address and per-account limits; failures are
    committed (counted, audited) before the answer.
    """
    username = text(ctx.form, "username") or ""
    password = ctx.form.get("password") if ctx.form is not None else None
    typed = password if isinstance(password, str) else ""
    next_path = safe_next(text(ctx.form, "next"), "")
    attempt = begin_login(ctx.db, username)
    if attempt.decided is not None:
        return _answer(ctx, attempt.decided, username, next_path)
    hasher, stored = ctx.services.hasher, attempt.password_hash

    def check() -> Verification:
        return verify_password(hasher, stored, typed)

    def finish(later: Ctx, verification: Verification) -> Response:
        outcome = finish_login(later.db, attempt, verification, settings=later.services.store)
        return _answer(later, outcome, username, next_path)

    return Deferred(check, finish)


def _answer(ctx: Ctx, outcome: LoginOutcome, username: str, next_path: str) -> Response:
    """The page for a login outcome: the form again with the reason, or on to the next page."""
    try:
        principal = outcome.raise_for_failure()
    except (AuthenticationFailed, RateLimited) as error:
        status = 429 if isinstance(error, RateLimited) else 401
        response = ctx.render(
            "reporting/login.html",
            {"next_path": next_path, "error": error.full_message(), "username": username[:100]},
            status_code=status,
        )
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    # A new session (and CSRF token) at every login: a token seen before login is worthless.
    ctx.set_session = new_session(principal.user_id)
    if next_path:
        return RedirectResponse(next_path, status_code=303)
    return ctx.redirect(HOME)


def logout(ctx: Ctx) -> Response:
    """End the session."""
    ctx.clear_session = True
    return ctx.redirect("/")
