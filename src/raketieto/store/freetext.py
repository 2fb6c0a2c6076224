"""The free-text check: direct identifiers are refused before anything is stored or logged."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from raketieto.privacy.identifiers import Finding, find_identifiers
from raketieto.store.errors import IdentifierRefused, RefusedSpan

KIND_LABELS: dict[str, str] = {
    "hetu": "henkilötunnus",
    "phone": "puhelinnumero",
    "email": "sähköpostiosoite",
    "address": "katuosoite",
}

CONTEXT = 20
_DIGIT = re.compile(r"\d")


def label_of(kind: str) -> str:
    """The Finnish name of an identifier kind."""
    return KIND_LABELS.get(kind, "tunniste")


def masked_excerpt(text: str, findings: Sequence[Finding], index: int) -> str:
    """The surroundings of findings[index] with every identifier replaced by its kind in brackets.

    Digits left in the surroundings are shown as '#', so that half of an identifier cut by the
    excerpt's edge, or one the finder missed, is not echoed either.
    """
    target = findings[index]
    lo = max(0, target.start - CONTEXT)
    hi = min(len(text), target.end + CONTEXT)
    parts: list[str] = []
    cursor = lo
    for finding in findings:
        if finding.end <= lo or finding.start >= hi:
            continue
        start, end = max(finding.start, lo), min(finding.end, hi)
        parts.append(_DIGIT.sub("#", text[cursor:start]))
        parts.append(f"[{label_of(str(finding.kind))}]")
        cursor = end
    parts.append(_DIGIT.sub("#", text[cursor:hi]))
    body = " ".join("".join(parts).split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def refused_spans(fields: Mapping[str, str | None]) -> list[RefusedSpan]:
    """Every identifier in the given fields, with positions and masked excerpts."""
    spans: list[RefusedSpan] = []
    for name, text in fields.items():
        if not text:
            continue
        findings = find_identifiers(text)
        for i, finding in enumerate(findings):
            kind = str(finding.kind)
            spans.append(
                RefusedSpan(
                    field=name,
                    kind=kind,
                    label=label_of(kind),
                    start=finding.start,
                    end=finding.end,
                    excerpt=masked_excerpt(text, findings, i),
                )
            )
    return spans


def check_free_text(fields: Mapping[str, str | None]) -> None:
    """Raise IdentifierRefused if any field holds a direct identifier; the text goes nowhere."""
    spans = refused_spans(fields)
    if spans:
        # `from None`: the refused text must not ride along in a chained traceback.
        raise IdentifierRefused(spans) from None
