"""Direct identifiers in data and text: Finnish identity codes, phone numbers, e-mail, addresses."""

from raketieto.privacy.hetu import (
    HetuParts,
    checksum_character,
    is_valid_hetu,
    make_hetu,
    parse_hetu,
)
from raketieto.privacy.identifiers import Finding, IdentifierKind, find_identifiers
from raketieto.privacy.names import looks_like_person_name

__all__ = [
    "Finding",
    "HetuParts",
    "IdentifierKind",
    "checksum_character",
    "find_identifiers",
    "is_valid_hetu",
    "looks_like_person_name",
    "make_hetu",
    "parse_hetu",
]
