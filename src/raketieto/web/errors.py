"""Pages for what does not exist: a 404 in the user's language with links to what does."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A link offered on an error page."""

    href: str
    text: str


@dataclass
class PageNotFound(Exception):
    """An unknown area, phenomenon, indicator, year or page; kind picks the message."""

    kind: str
    value: str
    links: list[Link] = field(default_factory=list)
    detail: str = ""
    #: For kind 'merged': old_name, old_code, new_name, new_code and date of the merger.
    merged: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.kind} '{self.value}' not found"
