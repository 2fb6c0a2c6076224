"""Who is acting: the user id, role and home county that every service call is checked against."""

from __future__ import annotations

from dataclasses import dataclass

from raketieto.store.enums import Role


@dataclass(frozen=True)
class Principal:
    """The acting user as the services see it; PUBLIC has no user id and no county."""

    user_id: int | None
    role: Role
    county: str | None = None

    def __post_init__(self) -> None:
        if self.role is Role.PUBLIC and self.user_id is not None:
            raise ValueError("a public principal has no user id")
        if self.role is not Role.PUBLIC and self.user_id is None:
            raise ValueError(f"a {self.role} principal needs a user id")
        if self.role in (Role.WORKER, Role.COORDINATOR) and not self.county:
            raise ValueError(f"a {self.role} principal needs a home county")

    @property
    def is_public(self) -> bool:
        """True for an anonymous reader of the open views."""
        return self.role is Role.PUBLIC


PUBLIC = Principal(user_id=None, role=Role.PUBLIC)
