"""Errors of the store's services; every message is safe to show to the user as it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from raketieto.errors import NotFoundError, RaketietoError


class PermissionDenied(RaketietoError):
    """The principal may not do this (HTTP 403)."""

    exit_code = 3


class InvalidTransition(RaketietoError):
    """A status change that the state machine does not allow (HTTP 409)."""


class ConflictError(RaketietoError):
    """The request clashes with what is already stored, e.g. a taken user name (HTTP 409)."""


class AuthenticationFailed(RaketietoError):
    """Wrong user name or password, or no such user (HTTP 401)."""


class AccountLocked(AuthenticationFailed):
    """Too many failed logins in a row; the account is locked for a while (HTTP 401)."""


class RateLimited(RaketietoError):
    """Too many login attempts from one client (HTTP 429)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


@dataclass(frozen=True)
class RefusedSpan:
    """Where an identifier was found; excerpt shows its surroundings with the identifier masked."""

    field: str
    kind: str
    label: str
    start: int
    end: int
    excerpt: str


class IdentifierRefused(RaketietoError):
    """Free text carries a direct identifier; nothing of it was stored (HTTP 422)."""

    def __init__(self, spans: Sequence[RefusedSpan]) -> None:
        self.spans = list(spans)
        shown = "; ".join(
            f"{span.field}: {span.label} merkeissä {span.start + 1}–{span.end} ({span.excerpt})"
            for span in self.spans
        )
        super().__init__(
            "Tekstissä on tunnistetietoja, joten sitä ei tallennettu; poista ne ja yritä "
            f"uudelleen: {shown}."
        )


class RecordNotFound(NotFoundError):
    """A stored report, theme, proposal, user or notification that does not exist (HTTP 404)."""

    def __init__(self, what: str, record_id: int | str) -> None:
        self.what = what
        self.value = str(record_id)
        RaketietoError.__init__(
            self, f"Tuntematon {what}: tunnisteella {record_id} ei löydy mitään."
        )
