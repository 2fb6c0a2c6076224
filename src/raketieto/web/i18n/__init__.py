"""Interface texts in Finnish, Swedish and English, read from the Babel .po catalogues.

Every ``*.po`` file in ``<lang>/LC_MESSAGES/`` is read and merged, so that other parts of the
web service can ship their own domain (reporting.po, api.po) beside messages.po. Message ids are
the Finnish texts; a missing translation falls back to the id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


@dataclass(frozen=True)
class Translations:
    """Message id -> translated text for each language; a missing text falls back to the id."""

    messages: dict[str, dict[str, str]]

    def gettext(self, lang: str, message: str) -> str:
        """The text of message in lang (the message id itself if untranslated)."""
        return self.messages.get(lang, {}).get(message) or message

    def ngettext(self, lang: str, singular: str, plural: str, n: int) -> str:
        """Singular or plural by n; catalogues hold both forms under the singular's id."""
        if n == 1:
            return self.gettext(lang, singular)
        return self.messages.get(lang, {}).get(plural) or plural

    def gettext_for(self, lang: str) -> Callable[..., str]:
        """A gettext for one language that %-formats keyword arguments, as templates call it."""

        def gettext(message: str, **variables: object) -> str:
            text = self.gettext(lang, message)
            return text % variables if variables else text

        return gettext

    def ngettext_for(self, lang: str) -> Callable[..., str]:
        """An ngettext for one language; 'num' is available to the format like in Jinja2."""

        def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
            text = self.ngettext(lang, singular, plural, n)
            return text % {"num": n, **variables}

        return ngettext


def _po_files(root: Traversable, lang: str) -> list[Traversable]:
    folder = root / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return []
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(".po") and f.is_file()),
        key=lambda f: f.name,
    )


def load_translations() -> Translations:
    """Read and merge every shipped .po catalogue; no compiling step is needed."""
    messages: dict[str, dict[str, str]] = {}
    root = resources.files("raketieto.web.i18n")
    for lang in LANGUAGES:
        merged: dict[str, str] = {}
        for po in _po_files(root, lang):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang, domain=po.name.removesuffix(".po"))
            for message in catalog:
                if not message.id or not message.string:
                    continue
                if isinstance(message.id, str) and isinstance(message.string, str):
                    merged[message.id] = message.string
                elif isinstance(message.id, tuple | list) and isinstance(
                    message.string, tuple | list
                ):
                    # Plural entries: keep the singular and plural forms under their own ids.
                    for msgid, text in zip(message.id, message.string, strict=False):
                        if text:
                            merged[str(msgid)] = str(text)
        messages[lang] = merged
    return Translations(messages)


def pick_language(value: str | None) -> str:
    """The language asked for if it is one of fi, sv and en; otherwise Finnish."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE
