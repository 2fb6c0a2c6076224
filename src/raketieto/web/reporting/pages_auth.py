"""Login with a local account (argon2, rate limit, lockout) and logout."""

from __future__ import annotations

from fastapi.responses import RedirectResponse, Response

from raketieto.store.accounts import authenticate
from raketieto.store.errors import AuthenticationFailed, RateLimited
from raketieto.web.reporting.forms import text
from raketieto.web.reporting.pagekit import Ctx
from raketieto.web.reporting.security import new_session, safe_next

HOME = "/raportit"


def _client_key(ctx: Ctx) -> str:
    client = ctx.request.client
    return client.host if client is not None else "?"


def login_form(ctx: Ctx) -> Response:
    """The login page (also shown to a logged-in user, who may switch accounts)."""
    return ctx.render(
        "reporting/login.html",
        {"next_path": safe_next(ctx.request.query_params.get("seuraava"), ""), "error": None},
    )


def login_submit(ctx: Ctx) -> Response:
    """Check the password; failures are committed (counted, audited) before the answer."""
    username = text(ctx.form, "username") or ""
    password = ctx.form.get("password") if ctx.form is not None else None
    next_path = safe_next(text(ctx.form, "next"), "")
    outcome = authenticate(
        ctx.db,
        username,
        password if isinstance(password, str) else "",
        hasher=ctx.services.hasher,
        settings=ctx.services.store,
        limiter=ctx.services.limiter,
        client=_client_key(ctx),
    )
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
