"""Form errors beside their fields, named by the field's label in the page's language.

The store checks everything again; these checks run first so that a form can be shown back
with each problem next to its field and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from raketieto.store.enums import (
    OTHER_PHENOMENON,
    ObservationKind,
    RecipientKind,
    ServiceTask,
    SupportNeed,
)
from raketieto.store.errors import IdentifierRefused

Gettext = Callable[[str], str]

#: Field name -> the Finnish label of its form (a message id of reporting.po).
REPORT_LABELS: dict[str, str] = {
    "phenomenon_id": "Ilmiö",
    "emerging_name": "Uuden ilmiön nimi (jos ilmiö on muu tai uusi)",
    "service_task": "Palvelutehtävä",
    "support_needs": "Tuen tarpeet (SHL 11 §)",
    "target_group": "Kohderyhmä",
    "region_code": "Kunta tai hyvinvointialue",
    "observation_kind": "Havainnon laji",
    "description": "Kuvaus havainnosta",
    "estimated_clients": "Arvio, kuinka monta asiakasta havainto koskee",
    "proposed_action": "Ehdotettu toimenpide",
}
REQUIRED_ON_SUBMIT = ("phenomenon_id", "service_task", "region_code", "observation_kind")
REQUIRED_TEXT = ("description",)
MAX_LENGTH = {"emerging_name": 200, "target_group": 200, "description": 10_000}
MAX_LENGTH["proposed_action"] = 5_000
THEME_LABELS = {
    "half_year": "Puolivuosi (esim. 2025H1)",
    "phenomenon_id": "Ilmiö",
    "title": "Otsikko",
    "summary": "Yhteenveto",
}
PROPOSAL_LABELS = {
    "title": "Otsikko",
    "body": "Ehdotus",
    "recipient_kind": "Vastaanottaja",
    "recipient_name": "Vastaanottajan nimi tai toimielin",
}
KINDS = {
    "hetu": "henkilötunnus",
    "phone": "puhelinnumero",
    "email": "sähköpostiosoite",
    "address": "katuosoite",
}
ALL_LABELS = {
    **REPORT_LABELS,
    **THEME_LABELS,
    **PROPOSAL_LABELS,
    "message": "Viesti",
    "answer": "Vastaus",
}


@dataclass
class FieldErrors:
    """Messages by field name, in the page's language, in the order the form shows them."""

    _: Gettext
    labels: Mapping[str, str]
    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Note a problem with one field (the first one found is kept)."""
        self.messages.setdefault(name, message)

    def required(self, name: str) -> None:
        """The field must be filled in."""
        self.add(name, self._("Tämä tieto on pakollinen."))

    def summary(self) -> list[tuple[str, str, str]]:
        """(field, label, message) for the list at the top of the form."""
        return [(n, self._(self.labels.get(n, n)), m) for n, m in self.messages.items()]

    def refused(self, error: IdentifierRefused) -> None:
        """The identifiers found in free text, each beside its field."""
        for span in error.spans:
            name = span.field.split("[", 1)[0]
            self.add(
                name,
                self._(
                    "Tekstissä on tunnistetieto (%(kind)s) merkeissä %(start)s–%(end)s: "
                    "%(excerpt)s. Poista se; tekstiä ei tallennettu."
                )
                % {
                    "kind": self._(KINDS.get(span.kind, "tunniste")),
                    "start": span.start + 1,
                    "end": span.end,
                    "excerpt": span.excerpt,
                },
            )

    def __bool__(self) -> bool:
        return bool(self.messages)


def _too_long(errors: FieldErrors, values: Mapping[str, object], limits: Mapping[str, int]) -> None:
    for name, limit in limits.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors.add(
                name,
                errors._("Teksti on liian pitkä: %(length)s merkkiä, enintään %(max)s.")
                % {"length": len(value), "max": limit},
            )


def _choice(errors: FieldErrors, name: str, value: object, valid: set[str]) -> None:
    if isinstance(value, str) and value and value not in valid:
        errors.add(
            name,
            errors._("Valinta '%(value)s' ei kelpaa; valitse luettelosta.") % {"value": value[:40]},
        )


def report_errors(
    values: Mapping[str, object], submit: bool, phenomena: set[str], _: Gettext
) -> FieldErrors:
    """The problems of a report form: required on submit, choices, the number, the lengths."""
    errors = FieldErrors(_, REPORT_LABELS)
    _choice(errors, "phenomenon_id", values.get("phenomenon_id"), phenomena | {OTHER_PHENOMENON})
    _choice(errors, "service_task", values.get("service_task"), {t.value for t in ServiceTask})
    _choice(
        errors,
        "observation_kind",
        values.get("observation_kind"),
        {k.value for k in ObservationKind},
    )
    needs = values.get("support_needs")
    for need in needs if isinstance(needs, list) else []:
        _choice(errors, "support_needs", need, {n.value for n in SupportNeed})
    if submit:
        for name in (*REQUIRED_ON_SUBMIT, *REQUIRED_TEXT):
            value = values.get(name)
            if not (isinstance(value, str) and value.strip()):
                errors.required(name)
    other = values.get("phenomenon_id") == OTHER_PHENOMENON
    emerging = values.get("emerging_name")
    has_emerging = isinstance(emerging, str) and bool(emerging.strip())
    if submit and other and not has_emerging:
        errors.add("emerging_name", _("Anna uuden ilmiön nimi, kun ilmiö on muu tai uusi."))
    if has_emerging and not other:
        errors.add(
            "emerging_name",
            _("Anna uuden ilmiön nimi vain, kun ilmiöksi on valittu muu tai uusi ilmiö."),
        )
    clients = values.get("estimated_clients")
    if isinstance(clients, str) and clients.strip():
        cleaned = clients.strip().replace(" ", "").replace("\u00a0", "")
        if not (cleaned.isascii() and cleaned.isdigit() and int(cleaned) <= 10_000_000):
            errors.add(
                "estimated_clients",
                _("'%(value)s' ei kelpaa: anna kokonaisluku väliltä 0–10 000 000.")
                % {"value": clients.strip()[:20]},
            )
    _too_long(errors, values, MAX_LENGTH)
    return errors


def theme_errors(values: Mapping[str, object], _: Gettext) -> FieldErrors:
    """The problems of the new-theme form."""
    errors = FieldErrors(_, THEME_LABELS)
    half = values.get("half_year")
    if not (isinstance(half, str) and half.strip()):
        errors.required("half_year")
    elif not (len(half) == 6 and half[:4].isdigit() and half[4:] in ("H1", "H2")):
        errors.add(
            "half_year",
            _("'%(value)s' ei ole puolivuosi: kirjoita vuosi ja H1 tai H2, esim. 2025H1.")
            % {"value": half[:20]},
        )
    for name in ("title", "summary"):
        value = values.get(name)
        if not (isinstance(value, str) and value.strip()):
            errors.required(name)
    _too_long(errors, values, {"title": 200})
    return errors


def proposal_errors(values: Mapping[str, object], _: Gettext) -> FieldErrors:
    """The problems of the new-proposal form."""
    errors = FieldErrors(_, PROPOSAL_LABELS)
    _choice(
        errors, "recipient_kind", values.get("recipient_kind"), {k.value for k in RecipientKind}
    )
    for name in ("title", "body", "recipient_kind"):
        value = values.get(name)
        if not (isinstance(value, str) and value.strip()):
            errors.required(name)
    _too_long(errors, values, {"title": 200, "recipient_name": 200})
    return errors
