"""Interface texts in Finnish, Swedish and English, read from the Babel .po catalogues."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
DOMAIN = "messages"


@dataclass(frozen=True)
class Translations:
    """Message id -> translated text for each language; a missing text falls back to the id."""

    messages: dict[str, dict[str, str]]

    def gettext(self, lang: str, message: str) -> str:
        """The text of message in lang (the message id itself if untranslated)."""
        return self.messages.get(lang, {}).get(message) or message


def load_translations() -> Translations:
    """Read the shipped .po catalogues; compiling them is not needed because they are read here."""
    messages: dict[str, dict[str, str]] = {}
    root = resources.files("raketieto.web.i18n")
    for lang in LANGUAGES:
        po = root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        messages[lang] = {
            str(m.id): str(m.string)
            for m in catalog
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
        }
    return Translations(messages)
