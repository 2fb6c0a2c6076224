"""Sources' own texts (attribution, licence note, source and version) in the page's language.

The catalogue and the cube hold these in Finnish, as the sources publish them. A Swedish or
English page shows the translation from the sources.po catalogues when there is one, and
otherwise the Finnish text marked lang="fi", so that it is never passed off as the page's language.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from raketieto.web.i18n import DEFAULT_LANGUAGE, Translations

_EXTRACT = re.compile(r"^Sotkanet-poiminta (\d{4}-\d{2}-\d{2}) \(kuntajako (\d{4})\)$")
_PREFIX = "Lähde: "
_NOTE = re.compile(r"^(?P<head>[^()]+?) \((?P<note>[^()]+)\)$")
#: Names that are the same in every language (a source's name).
_CODE_WORD = re.compile(r"[\d=_]|\w\.\w")
_NAMES = {"sotkanet": "Sotkanet", "statfin": "StatFin", "kela": "Kela", "ara": "ARA", "tem": "TEM"}


def _exact(translations: Translations, lang: str, text: str) -> str | None:
    found = translations.messages.get(lang, {}).get(text)
    return found or None


def _is_code(text: str) -> bool:
    """True for text of codes only ('CC BY 4.0', 'raketieto.clientdata.synth seed=2026')."""
    return all(_CODE_WORD.search(word) or word.isupper() for word in text.split())


def _finnish(text: str) -> Markup:
    return Markup('<span lang="fi">%s</span>') % text


def source_text(translations: Translations, lang: str, text: str | None) -> Markup:
    """text in lang where a translation is known, else the Finnish text marked as Finnish."""
    if not text:
        return Markup("–")
    if text in _NAMES:
        return Markup("%s") % _NAMES[text]
    if lang == DEFAULT_LANGUAGE or _is_code(text):
        return Markup("%s") % text
    exact = _exact(translations, lang, text)
    if exact is not None:
        return Markup("%s") % exact
    if match := _EXTRACT.match(text):
        pattern = translations.gettext(lang, "Sotkanet-poiminta %(date)s (kuntajako %(year)s)")
        return Markup("%s") % (pattern % {"date": match.group(1), "year": match.group(2)})
    if text.startswith(_PREFIX):
        head = translations.gettext(lang, "Lähde:")
        return Markup("%s %s") % (head, source_text(translations, lang, text[len(_PREFIX) :]))
    if (match := _NOTE.match(text)) is not None:
        note = _exact(translations, lang, match.group("note"))
        if note is not None:
            return Markup("%s (%s)") % (match.group("head"), note)
    return _finnish(text)
