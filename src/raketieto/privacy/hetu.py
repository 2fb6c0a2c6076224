"""The Finnish personal identity code (henkilötunnus): parsing, checksum and validation.

Form DDMMYYCNNNT: birth date, century sign C, individual number NNN and check character T.
The check character is the remainder of the nine-digit number DDMMYYNNN divided by 31, looked
up in CHECK_CHARACTERS. Since 1.1.2023 the 1900s may also be marked Y, X, W, V, U and the 2000s
B, C, D, E, F besides the original '-' and 'A'; '+' marks the 1800s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

#: Century sign -> the century's first year.
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

#: Individual numbers 002–899 are issued to people; 900–999 are temporary identifiers, which
#: identify a person just as well. 000 and 001 are never issued.
FIRST_INDIVIDUAL_NUMBER = 2


@dataclass(frozen=True)
class HetuParts:
    """What a valid identity code says: the birth date and the sex (odd number = male)."""

    birth_date: dt.date
    individual_number: int
    century_sign: str

    @property
    def sex(self) -> int:
        """1 male, 2 female (Statistics Finland codes), from the parity of the individual number."""
        return 1 if self.individual_number % 2 else 2

    @property
    def temporary(self) -> bool:
        """True for the temporary identifiers 900–999."""
        return self.individual_number >= 900


def checksum_character(date_digits: str, individual: str) -> str:
    """The check character for six date digits DDMMYY and the three-digit individual number."""
    return CHECK_CHARACTERS[int(date_digits + individual) % 31]


def parse_hetu(text: str) -> HetuParts | None:
    """The parts of a valid identity code, or None if text is not one.

    Letters may be in either case: a code typed in lower case still identifies a person.
    """
    if len(text) != 11:
        return None
    code = text.upper()
    date_digits, sign, individual, check = code[:6], code[6], code[7:10], code[10]
    if not (date_digits.isascii() and date_digits.isdigit()):
        return None
    if not (individual.isascii() and individual.isdigit()):
        return None
    century = CENTURY_SIGNS.get(sign)
    if century is None:
        return None
    number = int(individual)
    if number < FIRST_INDIVIDUAL_NUMBER:
        return None
    try:
        born = dt.date(century + int(date_digits[4:6]), int(date_digits[2:4]), int(date_digits[:2]))
    except ValueError:
        return None
    if checksum_character(date_digits, individual) != check:
        return None
    return HetuParts(birth_date=born, individual_number=number, century_sign=sign)


def valid_without_century_sign(date_digits: str, individual: str, check: str) -> bool:
    """True if DDMMYY, NNN and T make a valid code in some century: the sign was mistyped
    ('131052 308T', '131052/308T') or left out. The checksum does not cover the sign, so such a
    code still identifies its holder, give or take a hundred years of birth date."""
    if not (len(date_digits) == 6 and date_digits.isascii() and date_digits.isdigit()):
        return False
    if not (len(individual) == 3 and individual.isascii() and individual.isdigit()):
        return False
    if int(individual) < FIRST_INDIVIDUAL_NUMBER:
        return False
    if checksum_character(date_digits, individual) != check.upper():
        return False
    day, month, year = int(date_digits[:2]), int(date_digits[2:4]), int(date_digits[4:6])
    for century in sorted(set(CENTURY_SIGNS.values())):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def is_valid_hetu(text: str) -> bool:
    """True if text is exactly one valid identity code (date, century sign and checksum)."""
    return parse_hetu(text) is not None


def make_hetu(birth_date: dt.date, individual_number: int, century_sign: str | None = None) -> str:
    """A valid identity code for a birth date and individual number (for tests and examples).

    century_sign defaults to the original sign of the century ('+', '-' or 'A').
    """
    century = (birth_date.year // 100) * 100
    if century_sign is None:
        century_sign = {1800: "+", 1900: "-", 2000: "A"}.get(century, "")
    if CENTURY_SIGNS.get(century_sign) != century:
        raise ValueError(f"century sign {century_sign!r} does not mark the year {birth_date.year}")
    if not FIRST_INDIVIDUAL_NUMBER <= individual_number <= 999:
        raise ValueError(f"individual number {individual_number} is not in 002–999")
    date_digits = birth_date.strftime("%d%m") + f"{birth_date.year % 100:02d}"
    individual = f"{individual_number:03d}"
    return date_digits + century_sign + individual + checksum_character(date_digits, individual)
