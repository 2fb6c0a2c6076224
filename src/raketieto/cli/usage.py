"""Command-line usage errors (unknown option, bad value, missing argument) told in Finnish.

Typer reports them with its bundled click's English texts. The exceptions are told apart by
their class names and attributes, so that nothing here depends on Typer's private modules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NO_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")
_DID_YOU_MEAN = re.compile(r"Did you mean '(?P<name>[^']*)'")
_NOT_INTEGER = re.compile(r"'(?P<value>.*)' is not a valid integer")
_NOT_NUMBER = re.compile(r"'(?P<value>.*)' is not a valid float")
_NOT_CHOICE = re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.*)\.")
_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<values>.*)\)")
_WANTS_INTEGER = re.compile(r"valid integer")
_WANTS_NUMBER = re.compile(r"valid number|valid float")


def usage_message(error: Exception, argv: Sequence[str] = ()) -> str:
    """One Finnish sentence naming what was wrong on the command line, and where to look.

    argv (the command line) lets a bad value be named when the error itself does not hold it.
    """
    kind = type(error).__name__
    message = str(getattr(error, "message", "") or error)
    if kind == "NoSuchOption":
        sentence = f"Tuntematon valitsin {getattr(error, 'option_name', '')}."
        possible = list(getattr(error, "possibilities", None) or [])
        if possible:
            sentence += f" Tarkoititko {', '.join(sorted(possible))}?"
    elif kind == "BadParameter":
        sentence = (
            f"Virheellinen arvo kohdassa {_hint(error)}: "
            f"{_value_problem(message, _given(error, argv))}"
        )
    elif kind == "MissingParameter":
        sentence = f"Puuttuu {_hint(error)}."
    elif found := _NO_COMMAND.search(message):
        sentence = f"Tuntematon komento '{found['name']}'."
        if mean := _DID_YOU_MEAN.search(message):
            sentence += f" Tarkoititko '{mean['name']}'?"
    elif found := _EXTRA.search(message):
        sentence = f"Ylimääräinen argumentti: {found['values']}."
    else:
        sentence = f"Komentorivillä on virhe: {message}"
    return f"{sentence} Ohje: {_command(error)} --help"


def _hint(error: Exception) -> str:
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(str(h) for h in hint)
    if not hint:
        param = getattr(error, "param", None)
        opts = getattr(param, "opts", None) or []
        hint = " / ".join(opts) or getattr(param, "name", None) or "parametri"
    return str(hint).replace("'", "")


def _given(error: Exception, argv: Sequence[str]) -> str | None:
    """The value given to the erroneous option on the command line, if it can be seen."""
    opts = getattr(getattr(error, "param", None), "opts", None) or []
    for number, token in enumerate(argv):
        for opt in opts:
            if token == opt and number + 1 < len(argv):
                return argv[number + 1]
            if token.startswith(f"{opt}="):
                return token[len(opt) + 1 :]
    return None


def _value_problem(message: str, given: str | None) -> str:
    if found := _NOT_INTEGER.search(message):
        return f"'{found['value']}' ei ole kokonaisluku."
    if found := _NOT_NUMBER.search(message):
        return f"'{found['value']}' ei ole luku."
    if found := _NOT_CHOICE.search(message):
        return f"'{found['value']}' ei ole mikään sallituista: {found['choices']}."
    shown = f"'{given}'" if given is not None else "annettu arvo"
    if _WANTS_INTEGER.search(message):
        return f"{shown} ei ole kokonaisluku."
    if _WANTS_NUMBER.search(message):
        return f"{shown} ei ole luku."
    return message


def _command(error: Exception) -> str:
    context = getattr(error, "ctx", None)
    path = getattr(context, "command_path", None)
    return str(path) if path else "raketieto"
