"""The frame of every reporting page: session, principal, CSRF, transaction, errors, rendering.

Each page is a plain function of a Ctx. The frame opens one database transaction around it,
checks the login and the CSRF token, and turns any RaketietoError into a page with the right
status and one clear sentence, so that bad input never ends in a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from raketieto.errors import NotFoundError, RaketietoError
from raketieto.store.accounts import load_principal
from raketieto.store.db import transaction
from raketieto.store.enums import Role
from raketieto.store.errors import (
    AuthenticationFailed,
    ConflictError,
    IdentifierRefused,
    InvalidTransition,
    PermissionDenied,
    RateLimited,
    RecordNotFound,
)
from raketieto.store.hashing import HashPoolBusy
from raketieto.store.models import User
from raketieto.store.principal import PUBLIC, Principal
from raketieto.web.i18n import DEFAULT_LANGUAGE
from raketieto.web.pages import page_context, request_language
from raketieto.web.reporting.forms import FormLike, check_storable
from raketieto.web.reporting.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SESSION_SECONDS,
    SessionData,
    cookie_is_secure,
    csrf_matches,
    new_session,
)
from raketieto.web.reporting.services import (
    ReportingServices,
    StoreUnavailable,
    Unavailable,
    existing_services,
    services_for,
)
from raketieto.web.state import AppState

log = logging.getLogger(__name__)
LOGIN_PATH = "/kirjaudu"


class NotSignedIn(RaketietoError):
    """The page needs a logged-in user (HTTP 401)."""


class CsrfRejected(RaketietoError):
    """The form's CSRF token is missing or stale (HTTP 403)."""


@dataclass
class Ctx:
    """One request as the page functions see it."""

    state: AppState
    services: ReportingServices
    request: Request
    form: FormLike | None
    db: Session
    lang: str
    session: SessionData
    principal: Principal
    user: User | None
    set_session: SessionData | None = None
    clear_session: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def href(self, path: str, **params: object) -> str:
        """A link within the reporting pages that keeps the page language."""
        query = {k: str(v) for k, v in params.items() if v is not None and v != ""}
        if self.lang != DEFAULT_LANGUAGE:
            query["lang"] = self.lang
        return f"{path}?{urlencode(query, doseq=True)}" if query else path

    def redirect(self, path: str, **params: object) -> RedirectResponse:
        """303 See Other to a reporting page (the answer to a successful POST)."""
        return RedirectResponse(self.href(path, **params), status_code=303)

    def _(self, message: str) -> str:
        """The text of message in the page language."""
        return self.state.translations.gettext(self.lang, message)

    def render(
        self, template: str, context: Mapping[str, Any] | None = None, *, status_code: int = 200
    ) -> HTMLResponse:
        """Render a reporting template with the app's page context and the reporting extras."""
        full = page_context(self.state, self.request, self.lang)
        full.update(
            {
                "csrf_field": CSRF_FIELD,
                "csrf_token": (self.set_session or self.session).csrf,
                "principal": self.principal,
                "user": self.user,
                "rhref": self.href,
                "oidc_enabled": bool(self.services.settings.oidc_issuer),
            }
        )
        full.update(self.extra)
        full.update(context or {})
        html = self.state.templates.get_template(template).render(full)
        return HTMLResponse(html, status_code=status_code)


@dataclass(frozen=True)
class Deferred:
    """A page's answer that needs one slow step (a password hash) outside the request threads.

    The frame commits the first transaction, runs job in the services' bounded hash pool while
    no thread of the request pool waits, then runs finish(ctx, result) in a new transaction.
    """

    job: Callable[[], Any]
    finish: Callable[[Ctx, Any], Response]


Page = Callable[[Ctx], "Response | Deferred"]


def status_of(error: RaketietoError) -> int:
    """The HTTP status of an error the pages raise."""
    table: tuple[tuple[type[RaketietoError], int], ...] = (
        (Unavailable, 503),
        (HashPoolBusy, 503),
        (RateLimited, 429),
        (NotSignedIn, 401),
        (AuthenticationFailed, 401),
        (CsrfRejected, 403),
        (PermissionDenied, 403),
        (RecordNotFound, 404),
        (InvalidTransition, 409),
        (ConflictError, 409),
        (IdentifierRefused, 422),
        (NotFoundError, 422),
    )
    for kind, status in table:
        if isinstance(error, kind):
            return status
    return 400


def _principal(db: Session, session: SessionData | None) -> tuple[Principal, User | None]:
    if session is None or session.user_id is None:
        return PUBLIC, None
    try:
        principal = load_principal(db, session.user_id)
    except AuthenticationFailed:
        return PUBLIC, None
    return principal, db.get(User, session.user_id)


def _login_redirect(ctx: Ctx) -> Response:
    target = ctx.request.url.path
    if ctx.request.url.query:
        target += "?" + ctx.request.url.query
    return ctx.redirect(LOGIN_PATH, seuraava=target)


def _apply_cookie(ctx: Ctx, response: Response, fresh: bool) -> None:
    settings = ctx.services.settings
    if ctx.clear_session:
        response.delete_cookie(SESSION_COOKIE, path="/")
        ctx.set_session = new_session()
    chosen = ctx.set_session or (ctx.session if fresh else None)
    if chosen is not None:
        response.set_cookie(
            SESSION_COOKIE,
            ctx.services.signer.dumps(chosen),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=cookie_is_secure(ctx.request, settings),
            path="/",
        )


#: The query and form field that names a county.
COUNTY_FIELD = "alue"


def named_counties(request: Request, form: FormLike | None) -> list[str]:
    """Every county the request names, from the query string and the form (as typed)."""
    values = list(request.query_params.getlist(COUNTY_FIELD))
    if form is not None:
        values += [v for v in form.getlist(COUNTY_FIELD) if isinstance(v, str)]
    return [v.strip() for v in values if v.strip()]


def refuse_foreign_county(principal: Principal, request: Request, form: FormLike | None) -> None:
    """A worker or coordinator whose request names any county but their own is refused (403),
    whichever of the query string or the form names it, before the page runs."""
    if principal.is_public or principal.role is Role.NATIONAL_ADMIN:
        return
    for code in named_counties(request, form):
        if code.upper() != principal.county:
            raise PermissionDenied(
                f"Pyyntö koskee aluetta '{code[:12]}', mutta voit käsitellä vain oman "
                f"hyvinvointialueesi {principal.county} tietoja."
            )


@dataclass(frozen=True)
class Signed:
    """Who an error page is shown to (plain values: the request's objects are gone by then)."""

    principal: Principal = PUBLIC
    display_name: str | None = None
    csrf: str = ""


def _dispatch(
    state: AppState, page: Page, request: Request, form: FormLike | None, login: bool
) -> Response | Deferred:
    lang = request_language(request)
    services: ReportingServices | None = None
    signed = Signed()
    try:
        services = services_for(state)
        services.require_ready()
        stored = services.signer.loads(request.cookies.get(SESSION_COOKIE))
        session = stored or new_session()
        with transaction(services.factory) as db:
            principal, user = _principal(db, stored)
            name = user.display_name if user is not None else None
            signed = Signed(principal, name, session.csrf if stored is not None else "")
            ctx = Ctx(state, services, request, form, db, lang, session, principal, user)
            if stored is not None and stored.user_id is not None and user is None:
                ctx.clear_session = True  # a closed account's cookie is dropped
            if login and principal.is_public:
                if request.method == "GET":
                    redirect = _login_redirect(ctx)
                    _apply_cookie(ctx, redirect, stored is None)
                    return redirect
                raise NotSignedIn("Kirjaudu sisään ennen kuin lähetät lomakkeen.")
            if request.method == "POST" and not csrf_matches(stored, form and form.get(CSRF_FIELD)):
                raise CsrfRejected(
                    "Lomakkeen tarkiste puuttuu tai on vanhentunut; lataa sivu uudelleen ja "
                    "lähetä lomake sitten uudestaan."
                )
            if form is not None:
                check_storable(form)
            refuse_foreign_county(principal, request, form)
            answer = page(ctx)
        if isinstance(answer, Deferred):
            return answer
        _apply_cookie(ctx, answer, stored is None)
        return answer
    except RaketietoError as error:
        return error_page(state, request, lang, error, services, signed)
    except SQLAlchemyError as error:
        # The details may hold submitted values: log only the kind of failure.
        log.error("operational store error on %s: %s", request.url.path, type(error).__name__)
        failure = StoreUnavailable(
            "Raportoinnin tietokanta ei juuri nyt vastaa; yritä hetken kuluttua uudelleen."
        )
        return error_page(state, request, lang, failure, services, signed)


def error_page(
    state: AppState,
    request: Request,
    lang: str,
    error: RaketietoError,
    services: ReportingServices | None,
    signed: Signed | None = None,
) -> HTMLResponse:
    """A page that says in one sentence what was wrong, with the matching status."""
    who = signed or Signed()
    status = status_of(error)
    context = page_context(state, request, lang)
    context.update(
        {
            "message": error.full_message(),
            "status": status,
            "principal": who.principal,
            "user": {"display_name": who.display_name} if who.display_name else None,
            "csrf_field": CSRF_FIELD,
            "csrf_token": who.csrf,
            "rhref": lambda path, **_: path if lang == DEFAULT_LANGUAGE else f"{path}?lang={lang}",
            "oidc_enabled": bool(services and services.settings.oidc_issuer),
            "login_path": LOGIN_PATH,
        }
    )
    html = state.templates.get_template("reporting/error.html").render(context)
    response = HTMLResponse(html, status_code=status)
    if isinstance(error, RateLimited | HashPoolBusy):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


async def _after_slow_step(
    state: AppState, request: Request, form: FormLike | None, login: bool, deferred: Deferred
) -> Response:
    """Run a deferred page's slow step in the hash pool, then its finish in a new transaction."""
    services = services_for(state)
    try:
        value = await services.hash_pool.run_async(deferred.job)
    except HashPoolBusy as busy:
        lang = request_language(request)
        return await run_in_threadpool(error_page, state, request, lang, busy, services)

    def finish(ctx: Ctx) -> Response:
        return deferred.finish(ctx, value)

    answer = await run_in_threadpool(_dispatch, state, finish, request, form, login)
    if isinstance(answer, Deferred):
        raise TypeError(f"{deferred.finish!r} deferred a second slow step")
    return answer


_MAX_REFUSALS = 64


async def _refusal(
    state: AppState, request: Request, error: RaketietoError, services: ReportingServices | None
) -> Response:
    """A guard's refusal page. The page is the same for every refused request of one kind, so
    it is rendered once and then answered from the event loop: a flood that ignores
    Retry-After costs the server as little as possible."""
    lang = request_language(request)
    key = (lang, status_of(error), error.full_message(), request.url.query)
    kept = services.refusals if services is not None else {}
    body = kept.get(key)
    if body is None:
        page = await run_in_threadpool(error_page, state, request, lang, error, services)
        if len(kept) < _MAX_REFUSALS:
            kept[key] = bytes(page.body)
        return page
    headers = (
        {"Retry-After": str(error.retry_after)}
        if isinstance(error, RateLimited | HashPoolBusy)
        else None
    )
    return HTMLResponse(body, status_code=key[1], headers=headers)


#: A check run in the event loop before anything else (no database, no hash): an error refuses.
Guard = Callable[[ReportingServices, Request, FormLike | None], RaketietoError | None]


def endpoint(
    state: AppState, page: Page, *, login: bool = True, guard: Guard | None = None
) -> Callable[..., Awaitable[Response]]:
    """A FastAPI endpoint running page in the frame (in a worker thread: the store is sync).

    guard, if given, runs first in the event loop; when it refuses, the error page is the answer
    and the page never runs (a flood of refused logins costs no database work and no hash).
    """

    async def run(request: Request) -> Response:
        form: FormLike | None = None
        if request.method == "POST":
            try:
                form = await request.form()
            except Exception:  # malformed multipart or urlencoded body: the client's fault
                lang = request_language(request)
                bad = RaketietoError("Lomakkeen tietoja ei voitu lukea; lähetä lomake uudelleen.")
                return error_page(state, request, lang, bad, None)
        refused: RaketietoError | None = None
        if guard is not None:
            services = existing_services(state)
            if services is None:  # the first request: open the store outside the loop
                try:
                    services = await run_in_threadpool(services_for, state)
                except RaketietoError as error:
                    refused = error
            if services is not None:
                refused = guard(services, request, form)
        if refused is not None:
            return await _refusal(state, request, refused, services)
        answer = await run_in_threadpool(_dispatch, state, page, request, form, login)
        if isinstance(answer, Deferred):
            return await _after_slow_step(state, request, form, login, answer)
        return answer

    run.__name__ = page.__name__
    run.__doc__ = page.__doc__
    return run
