"""Direct identifiers in free text: identity codes, phone numbers, e-mail and street addresses.

The finders err on the side of privacy but leave alone what merely looks like an identifier:
dates (12.3.2024, 2024-03-12), case numbers (Dnro 123/2024), amounts (1 250,00 €) and strings
shaped like an identity code whose date or checksum is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from raketieto.privacy.hetu import is_valid_hetu, valid_without_century_sign


class IdentifierKind(StrEnum):
    """What kind of direct identifier a finding is."""

    HETU = "hetu"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


@dataclass(frozen=True)
class Finding:
    """One identifier in a text: its kind and its span text[start:end]."""

    kind: IdentifierKind
    start: int
    end: int


# Word processors turn '-' into these; a code written with one is still a code.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))

# Anything shaped like an identity code, checksum or not; alphanumerics may not touch it.
_HETU_SHAPE = re.compile(
    rf"(?<![0-9A-Za-z])\d{{6}}[-+A-FU-Ya-fu-y{_DASHES}]\d{{3}}[0-9A-Za-z](?![0-9A-Za-z])"
)

# What people type instead of the century sign: a blank, a slash, a dot, an underscore... or
# nothing. The century sign itself may also come with blanks around it ('131052 - 308T').
TYPO_SEPARATORS = " \u00a0\u202f/\\._,:;|*"
_HETU_LOOSE = re.compile(
    r"(?<![0-9A-Za-z])(?P<date>\d{6})"
    rf"(?P<sep>\s?[-+{_DASHES}]\s?|[{re.escape(TYPO_SEPARATORS)}]|)"
    r"(?P<individual>\d{3})(?P<check>[0-9A-Za-z])(?![0-9A-Za-z])"
)

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w+-](?:[\w.+-]*[\w+-])?@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])"
)

_SEP = r"[ \-\u00a0]"
# Start of a Finnish number: +358 / 00358 (optionally followed by "(0)"), "(09)", or a plain 0.
# Not after a word character, '+', '/', ',' or '-', which is how dates and case numbers go on.
_PHONE = re.compile(
    r"(?<![\w+/,\-])"
    rf"(?:(?P<intl>(?:\+|00)358){_SEP}?(?:\(0\){_SEP}?)?"
    rf"|\((?P<area>0\d{{1,2}})\){_SEP}?"
    r"|(?P<zero>0))"
    rf"(?P<rest>\d(?:{_SEP}?\d){{3,11}})"
)
_GROUP_BREAK = re.compile(_SEP)

# Mobile prefixes 04x and 050; geographic area codes 02 03 05 06 08 09 and 013–019.
_MOBILE = re.compile(r"(?:4\d|50)\d{5,8}")
_LANDLINE = re.compile(r"(?:[235689]|1[3-9])\d{5,8}")

_FI_STREET = (
    "katu", "tie", "kuja", "polku", "väylä", "raitti", "kaari", "kaarre", "rinne", "ranta",
    "tori", "aukio", "bulevardi", "esplanadi", "penger", "portti", "kumpu", "mäki", "piha",
)  # fmt: skip
_SV_STREET = (
    "gatan", "gata", "vägen", "väg", "gränden", "gränd", "stigen", "stig", "backen", "backe",
    "allén", "allé", "torget", "torg", "kajen", "esplanaden", "stranden", "strand", "slingan",
    "gången", "bågen", "kroken", "platsen",
)  # fmt: skip
#: Endings of Finnish and Swedish street names that the address finder knows.
STREET_SUFFIXES: tuple[str, ...] = tuple(sorted(_FI_STREET + _SV_STREET, key=len, reverse=True))
_SUFFIXES = "|".join(STREET_SUFFIXES)
# Words that start multi-word street names ("Vanha Porvoontie", "Norra Esplanaden").
_QUALIFIERS = (
    "Pohjoinen|Eteläinen|Läntinen|Itäinen|Vanha|Uusi|Iso|Pieni|Pikku|Ylä|Ala|Keski|"
    "Norra|Södra|Västra|Östra|Stora|Lilla|Gamla|Nya"
)
_UPPER = "A-ZÅÄÖÜÉ"
_LOWER = "a-zåäöüé"
# A capitalised street name (optionally after a qualifier),
# a house number, and optionally a staircase and flat ("5 A 12", "5 as. 3", "5 lgh 1201").
_ADDRESS = re.compile(
    rf"(?<![\w-])(?:(?:{_QUALIFIERS})\s)?"
    rf"(?:[{_UPPER}][{_LOWER}-]*?(?:{_SUFFIXES})|Esplanadi|Bulevardi|Esplanaden|Bulevarden)"
    r"\s+\d{1,4}(?:\s?[a-z](?![\w]))?"
    r"(?:\s*,?\s*(?:[A-Z]\s?\d{1,3}|as\.?\s?\d{1,3}|lgh\.?\s?\d{1,4}|bst\.?\s?\d{1,3}))?"
    r"(?![\d/]|[.,:]\d|\s?%|\s?€|-\d)"
)


def find_identifiers(text: str) -> list[Finding]:
    """Every direct identifier in text, sorted by position, without overlaps."""
    findings: list[Finding] = []
    blocked: list[tuple[int, int]] = []
    for match in _HETU_SHAPE.finditer(text):
        blocked.append(match.span())
        if is_valid_hetu(match.group().translate(_DASH_TABLE)):
            findings.append(Finding(IdentifierKind.HETU, *match.span()))
    for match in _HETU_LOOSE.finditer(text):
        if match.group("check").isalpha():
            blocked.append(
                match.span()
            )  # a code-shaped word, not a phone number ending in a letter
    findings.extend(_loose_hetus(text))
    for match in _EMAIL.finditer(text):
        findings.append(Finding(IdentifierKind.EMAIL, *match.span()))
    findings.extend(_phones(text))
    for match in _ADDRESS.finditer(text):
        findings.append(Finding(IdentifierKind.ADDRESS, *match.span()))
    return _without_overlaps(findings, blocked)


def _loose_hetus(text: str) -> list[Finding]:
    """Identity codes whose century sign was mistyped, left out or padded with blanks.

    Without any separator the ten characters must end in a letter: ten digits are far more
    often a phone, reference or time-stamp number, and a digit check character would match one
    in 31 of them by chance.
    """
    found: list[Finding] = []
    for match in _HETU_LOOSE.finditer(text):
        date, sep = match.group("date"), match.group("sep")
        individual, check = match.group("individual"), match.group("check")
        sign = sep.strip().translate(_DASH_TABLE)
        if sign and sign == sep.translate(_DASH_TABLE) and sign in "-+":
            continue  # the plain shape, handled by _HETU_SHAPE
        if sign in ("-", "+"):
            valid = is_valid_hetu(date + sign + individual + check)
        elif not sep and check.isdigit():
            valid = False
        else:
            valid = valid_without_century_sign(date, individual, check)
        if valid:
            found.append(Finding(IdentifierKind.HETU, *match.span()))
    return found


def _phones(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _PHONE.finditer(text):
        rest = match.group("rest")
        area = match.group("area")
        lead = area[1:] if area else ""
        # The greedy match may run into a following number; drop trailing groups until valid.
        breaks = [m.start() for m in _GROUP_BREAK.finditer(rest)] + [len(rest)]
        for cut in reversed(breaks):
            national = lead + re.sub(r"\D", "", rest[:cut])
            if _MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national):
                end = match.start("rest") + cut
                if end < len(text) and text[end].isdigit():
                    break
                found.append(Finding(IdentifierKind.PHONE, match.start(), end))
                break
    return found


def _without_overlaps(findings: list[Finding], blocked: list[tuple[int, int]]) -> list[Finding]:
    def hits_blocked(f: Finding) -> bool:
        return f.kind is not IdentifierKind.HETU and any(
            f.start < end and start < f.end for start, end in blocked
        )

    # Earlier first; at the same start the longer one wins.
    ordered = sorted(
        (f for f in findings if not hits_blocked(f)), key=lambda f: (f.start, -(f.end - f.start))
    )
    kept: list[Finding] = []
    for finding in ordered:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
