"""Reading form fields and path parts; bad values raise errors that name them, in Finnish."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from starlette.datastructures import FormData

from raketieto.errors import DataError
from raketieto.store.enums import ObservationKind, ServiceTask, SupportNeed
from raketieto.store.freetext import check_free_text
from raketieto.web.reporting.validation import ALL_LABELS

E = TypeVar("E", bound=StrEnum)
MAX_FIELD = 20_000


#: The parsed body of a POSTed form (starlette's FormData).
FormLike = FormData


# Characters no database text column can hold (PostgreSQL refuses NUL outright) and that no
# keyboard types: C0 controls other than tab and line breaks, lone surrogates, non-characters.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def label_of(name: str) -> str:
    """A form field's label as its form shows it (Finnish), never its internal name."""
    return ALL_LABELS.get(name, "lomakkeen kenttä")


def check_storable(form: FormLike) -> None:
    """Refuse a form whose text holds a character that cannot be stored, naming the field."""
    for name, value in form.multi_items():
        if isinstance(value, str) and (found := _UNSTORABLE.search(value)) is not None:
            raise DataError(
                f"Kentässä '{label_of(name)}' on merkki U+{ord(found.group()):04X} kohdassa "
                f"{found.start() + 1}, jota ei voi tallentaa; poista se ja lähetä lomake uudelleen."
            )


def text(form: FormLike | None, name: str) -> str | None:
    """A text field stripped, or None when missing or blank; files and huge values are refused."""
    if form is None:
        return None
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DataError(f"Kentän '{label_of(name)}' pitää olla tekstiä, ei tiedosto.")
    if len(value) > MAX_FIELD:
        raise DataError(f"Kenttä '{label_of(name)}' on liian pitkä: enintään {MAX_FIELD} merkkiä.")
    stripped = value.strip()
    return stripped or None


def texts(form: FormLike | None, name: str) -> list[str]:
    """Every non-blank value of a repeated field (checkboxes, multi-selects)."""
    if form is None:
        return []
    values = []
    for value in form.getlist(name):
        if not isinstance(value, str):
            raise DataError(f"Kentän '{label_of(name)}' pitää olla tekstiä, ei tiedosto.")
        if value.strip():
            values.append(value.strip())
    return values


def record_id(value: object, what: str) -> int:
    """A positive integer id from a path or form value, or an error naming the value."""
    shown = str(value)[:40]
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) <= 12:
        number = int(value)
        if number > 0:
            return number
    raise DataError(
        f"Tunniste '{shown}' ({what}) ei kelpaa: odotettiin positiivista kokonaislukua."
    )


def record_ids(values: Sequence[str], what: str) -> list[int]:
    """Several ids (e.g. checked reports)."""
    return [record_id(v, what) for v in values]


def choice(value: str | None, enum: type[E], what: str) -> E | None:
    """An enum member from its value, or an error naming the value and the valid ones."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        valid = ", ".join(m.value for m in enum)
        raise DataError(f"{what} '{value[:60]}' ei kelpaa; kelvolliset: {valid}.") from None


def report_fields(form: FormLike | None) -> dict[str, object]:
    """The report form as raw input for parse_report_input, checked for identifiers first.

    The identifier check runs before any error can quote a value, so a refused text is never
    echoed in an error message.
    """
    strings = {
        name: text(form, name)
        for name in (
            "phenomenon_id",
            "emerging_name",
            "service_task",
            "target_group",
            "region_code",
            "observation_kind",
            "description",
            "estimated_clients",
            "proposed_action",
        )
    }
    needs = texts(form, "support_needs")
    check_free_text({**strings, **{f"support_needs[{i}]": n for i, n in enumerate(needs)}})
    raw: dict[str, object] = {k: v for k, v in strings.items() if v is not None}
    choice(strings["service_task"], ServiceTask, "Palvelutehtävä")
    choice(strings["observation_kind"], ObservationKind, "Havainnon laji")
    raw["support_needs"] = tuple(
        need for need in (choice(n, SupportNeed, "Tuen tarve") for n in needs) if need is not None
    )
    clients = strings["estimated_clients"]
    if clients is not None:
        cleaned = clients.replace(" ", "").replace("\u00a0", "")
        if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 9:
            raise DataError(
                f"Arvio asiakasmäärästä '{clients[:20]}' ei kelpaa: odotettiin kokonaislukua "
                "0–10 000 000."
            )
        raw["estimated_clients"] = int(cleaned)
    return raw


def form_values(form: FormLike | None) -> Mapping[str, object]:
    """The submitted report form for re-rendering after an error (lists kept as lists)."""
    if form is None:
        return {}
    values: dict[str, object] = {}
    for name in (
        "phenomenon_id",
        "emerging_name",
        "service_task",
        "target_group",
        "region_code",
        "observation_kind",
        "description",
        "estimated_clients",
        "proposed_action",
        "idempotency_key",
    ):
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    values["support_needs"] = [v for v in form.getlist("support_needs") if isinstance(v, str)]
    return values
