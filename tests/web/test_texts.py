"""Every interface text has Swedish and English translations; suppressed values say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract
from jinja2.ext import babel_extract

from raketieto.reports.cells import Cell
from raketieto.settings import Settings
from raketieto.web.i18n import load_translations
from raketieto.web.state import AppState

WEB = Path(__file__).resolve().parents[2] / "src" / "raketieto" / "web"


def _message_ids() -> set[str]:
    ids: set[str] = set()
    for path in WEB.glob("*.py"):
        with path.open("rb") as handle:
            for _line, message, _comments, _context in extract("python", handle):
                ids.update([message] if isinstance(message, str) else [m for m in message if m])
    for path in (WEB / "templates").glob("*.html"):
        with path.open("rb") as handle:
            options = {"extensions": "jinja2.ext.i18n"}
            for _line, _func, message, _comments in babel_extract(handle, ["_"], [], options):
                if isinstance(message, str):
                    ids.add(message)
    return ids


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_text_is_translated(lang: str) -> None:
    ids = _message_ids()
    assert len(ids) > 100
    translations = load_translations()
    missing = sorted(i for i in ids if i not in translations.messages[lang])
    assert missing == []


def test_suppressed_and_missing_values_are_shown_with_the_reason(settings: Settings) -> None:
    state = AppState.build(settings)
    template = state.templates.from_string("{{ fmt.value(cell, 1) }}|{{ fmt.value(none, 1) }}")
    cell = Cell(2020, None, None, None, "not_compared", True, "alle 5 tapausta", False)
    from raketieto.web.pages import Formatter
    from raketieto.web.summaries import Labels

    for lang, word in (("fi", "salattu"), ("sv", "skyddad"), ("en", "suppressed")):
        _ = state.translations.gettext_for(lang)
        fmt = Formatter(lang, Labels(_, lang))
        html = template.render(cell=cell, fmt=fmt)
        assert f"{word}: alle 5 tapausta" in html
        assert _("ei tietoa") in html.split("|")[1]
