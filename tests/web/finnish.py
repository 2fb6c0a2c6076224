"""Finding Finnish interface text on a Swedish or English page."""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

from raketieto.web.i18n import load_translations

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
_SKIPPED = {"script", "style"}


class _Text(HTMLParser):
    """The visible text of a page (and its title), without what is marked lang="fi"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "meta", "link", "input", "img", "hr", "source"}:
            return
        skip = tag in _SKIPPED or (tag != "html" and dict(attrs).get("lang") == "fi")
        self._stack.append((tag, skip or any(s for _, s in self._stack)))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1][1]) and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(page: str) -> list[str]:
    """The page's text nodes, whitespace collapsed, leaving out lang="fi" parts and scripts."""
    parser = _Text()
    parser.feed(page)
    return parser.parts


@functools.cache
def finnish_texts(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(whole texts, long fragments) of Finnish interface texts that lang translates otherwise."""
    messages = load_translations().messages
    own = messages[lang]
    translated = " ".join(own.values())
    wholes: set[str] = set()
    fragments: set[str] = set()
    for msgid, text in own.items():
        if text == msgid:
            continue
        for fragment in _PLACEHOLDER.split(msgid):
            fragment = fragment.strip(" .,:;()–-")
            if len(fragment) >= 14 and " " in fragment and fragment not in translated:
                fragments.add(fragment)
        if "%(" not in msgid and len(msgid) >= 4 and msgid not in own.values():
            wholes.add(html.unescape(msgid).strip())
    return frozenset(wholes), frozenset(fragments)


def finnish_on_page(page: str, lang: str) -> list[str]:
    """The Finnish interface texts found on a page in lang (empty when there are none)."""
    wholes, fragments = finnish_texts(lang)
    found = []
    for part in visible_text(page):
        if part in wholes:
            found.append(part)
            continue
        found.extend(f"{fragment!r} in {part[:80]!r}" for fragment in fragments if fragment in part)
    return sorted(set(found))
