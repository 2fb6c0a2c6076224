"""Identifier detection on a corpus: catch rate and false-positive rate, printed in the summary.

The corpus holds valid identity codes of every century sign (including the signs in use since
2023), phone numbers, e-mail and street addresses, and look-alikes that must pass: dates, case
numbers, amounts, and identity-code shapes whose date or checksum is wrong.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from raketieto.privacy import make_hetu
from raketieto.privacy.hetu import CENTURY_SIGNS, CHECK_CHARACTERS
from raketieto.store.errors import IdentifierRefused
from raketieto.store.freetext import check_free_text

MIN_CATCH_RATE = 0.97
MAX_FALSE_POSITIVE_RATE = 0.03


def _valid_codes(rng: random.Random) -> list[str]:
    codes = []
    for sign, century in CENTURY_SIGNS.items():
        for _ in range(4):
            born = dt.date(century, 1, 1) + dt.timedelta(days=rng.randrange(36_500))
            codes.append(make_hetu(born, rng.randrange(2, 1000), sign))
    return codes


def _broken_codes(rng: random.Random) -> list[str]:
    """Code-shaped strings that identify nobody: a wrong check character or an impossible date."""
    broken = []
    for code in _valid_codes(rng)[:20]:
        wrong = CHECK_CHARACTERS[(CHECK_CHARACTERS.index(code[-1]) + 7) % 31]
        broken.append(code[:-1] + wrong)
    broken += ["310299-123A", "000000-0000", "311377A1234", "320101-4567"]
    return broken


#: What people type instead of the century sign (and the sign padded with blanks).
TYPO_SEPARATORS = (" ", "/", ".", "_", ",", ":", "\u00a0", " - ", "- ", " -", "")


def _typo_codes(rng: random.Random) -> list[str]:
    """Valid codes written with a wrong, padded or missing century sign."""
    typed = []
    for i, code in enumerate(_valid_codes(rng)):
        sep = TYPO_SEPARATORS[i % len(TYPO_SEPARATORS)]
        if sep == "" and code[-1].isdigit():
            continue  # ten bare digits are not refused (see privacy/identifiers.py)
        if sep.strip() == "-" and code[6] != "-":
            sep = sep.replace("-", code[6]) if code[6] in "+" else " "
        typed.append(code[:6] + sep + code[7:])
    return typed


def _broken_typo_codes(rng: random.Random) -> list[str]:
    """The same shapes with a wrong check character or an impossible date: nobody's code."""
    broken = []
    for code in _typo_codes(rng)[:20]:
        wrong = CHECK_CHARACTERS[(CHECK_CHARACTERS.index(code[-1].upper()) + 5) % 31]
        broken.append(code[:-1] + wrong)
    broken += ["310299 123A", "320101/4567", "311377.1234", "000000 0000", "131352 308T"]
    return broken


#: Look-alikes near the typo shapes: case numbers, sums, times, phone-like and long numbers.
TYPO_LOOK_ALIKES = (
    "Dnro 010124/2024 käsitellään.",
    "Asianumero 150323/1234 on vireillä.",
    "Summa 120000,5000 € jaettiin.",
    "Kello 101023 1030 kirjattiin.",
    "Aikaleima 1704067200 lokissa.",
    "Viitenumero 1234561 ja 12345 67890 12345.",
    "Tilausnumero 2024011512345.",
    "Mittaus 123456.7890 yksikköä.",
    "Versio 2024.01.15.1234 julkaistiin.",
    "IBAN FI21 1234 5600 0007 85.",
    "Y-tunnus 1234567-8 on yrityksen.",
    "Jonossa 150 ja 230 asiakasta, 12 % enemmän.",
)

IDENTIFIER_TEMPLATES = (
    "Asiakkaan tunnus {} oli lomakkeessa.",
    "hetu: {}",
    "({}) kävi vastaanotolla",
)
PHONES = (
    "040 123 4567",
    "0401234567",
    "050-123 4567",
    "+358 40 765 4321",
    "+358501234567",
    "00358 44 1234567",
    "09 310 1234",
    "(09) 310 12345",
    "017 123 456",
    "+358 (0)9 1234 5678",
    "045 7123 4567",
    "013 456 789",
)
EMAILS = (
    "maija.meikalainen@example.fi",
    "anna+tuki@sosiaali.hel.fi",
    "k.virtanen@kunta.fi",
    "asiakas_123@gmail.com",
    "Sven.Svensson@foretag.se",
)
ADDRESSES = (
    "Mannerheimintie 5 A 12",
    "Kotikatu 12 as. 4",
    "Vanha Porvoontie 256",
    "Pihlajakuja 3b",
    "Koivupolku 7",
    "Rantaraitti 14",
    "Storgatan 3",
    "Strandvägen 14 lgh 1201",
    "Kauppatori 1",
    "Puistokaari 22 B 5",
)
HARMLESS = (
    "Tapaaminen 12.3.2024 klo 14.30.",
    "Päätös 2024-03-12 tehtiin ajallaan.",
    "Dnro 123/2024 käsitellään ensi viikolla.",
    "Asianumero THL/1234/2023 on vireillä.",
    "Toimeentulotukea haettiin 1 250,00 € kuukaudessa.",
    "Vuokra 850 € ja vesimaksu 25,50 euroa.",
    "Jonossa oli 42 asiakasta ja odotusaika 3–4 viikkoa.",
    "Kasvu 12,5 % edellisestä vuodesta.",
    "Yli 65-vuotiaita oli 1 234 ja alle 18-vuotiaita 567.",
    "Palvelutarpeen arviointi 7 arkipäivässä (SHL 36 §).",
    "Laki 1301/2014 ja 612/2021 velvoittavat.",
    "Tilastovuosi 2023, muutos -0,4 prosenttiyksikköä.",
    "Kello 08.00–16.00 avoinna, ryhmässä 8-12 henkeä.",
    "Hakemuksia 0 kpl tammikuussa, 15 helmikuussa.",
    "Tapahtui 1.1.2023–31.12.2023 välisenä aikana.",
    "Versio 2.0.1 otettiin käyttöön.",
    "Postinumeroalue 70100 Kuopio.",
    "Kuopion kaupungintalo ja torin ympäristö.",
    "Asukkaita Tiekadulla oli paljon.",
    "Katu oli liukas, 3 kaatui.",
    "Lapsia 2, aikuisia 4 ja nuoria 10.",
    "Soitimme asiakkaille 15 kertaa.",
    "Puhelinajat ma–pe.",
    "Sähköposti ei toiminut.",
    "Raportti @koordinaattori tarkistettavaksi.",
    "ID 0123456789ABC tietojärjestelmässä.",
    "Mittari 120/80 oli normaali.",
    "Päihdepalveluissa 60 % asiakkaista.",
    "Vuonna 2025 H1 raportteja tuli 18.",
    "Menot 12 000 000 euroa vuodessa.",
)


def corpus() -> tuple[list[str], list[str]]:
    """(texts that carry an identifier, texts that carry none)."""
    rng = random.Random(2023)
    with_ids = [t.format(code) for code in _valid_codes(rng) for t in IDENTIFIER_TEMPLATES[:1]]
    with_ids += [IDENTIFIER_TEMPLATES[1].format(c) for c in _valid_codes(rng)[:10]]
    with_ids += [IDENTIFIER_TEMPLATES[2].format(c) for c in _valid_codes(rng)[:10]]
    with_ids += [f"Asiakkaan tunnus {c} kirjoitettiin väärin." for c in _typo_codes(rng)]
    with_ids += [f"Soita numeroon {p} iltaisin." for p in PHONES]
    with_ids += [f"Lisätiedot: {e}" for e in EMAILS]
    with_ids += [f"Asiakas asuu osoitteessa {a}, Kuopio." for a in ADDRESSES]
    harmless = list(HARMLESS)
    harmless += [f"Virheellinen tunnus {c} hylättiin." for c in _broken_codes(rng)]
    harmless += [f"Virheellinen tunnus {c} hylättiin." for c in _broken_typo_codes(rng)]
    harmless += list(TYPO_LOOK_ALIKES)
    return with_ids, harmless


def _refused(text: str) -> bool:
    try:
        check_free_text({"kuvaus": text})
    except IdentifierRefused:
        return True
    return False


def test_identifier_corpus_catch_and_false_positive_rates(
    record_property: pytest.RecordProperty,
) -> None:
    with_ids, harmless = corpus()
    assert len(with_ids) >= 90 and len(harmless) >= 50
    missed = [t for t in with_ids if not _refused(t)]
    flagged = [t for t in harmless if _refused(t)]
    catch_rate = 1 - len(missed) / len(with_ids)
    false_positive_rate = len(flagged) / len(harmless)
    line = (
        f"identifier corpus: catch rate {catch_rate:.1%} ({len(with_ids) - len(missed)}/"
        f"{len(with_ids)}), false-positive rate {false_positive_rate:.1%} "
        f"({len(flagged)}/{len(harmless)})"
    )
    print(line)
    record_property("identifier_corpus", line)
    assert catch_rate >= MIN_CATCH_RATE, f"missed: {missed}"
    assert false_positive_rate <= MAX_FALSE_POSITIVE_RATE, f"flagged: {flagged}"


@pytest.mark.parametrize("sep", TYPO_SEPARATORS)
def test_the_published_example_with_a_typo_separator_is_caught(sep: str) -> None:
    assert _refused(f"Asiakas 131052{sep}308T soitti."), sep


def test_no_look_alike_of_the_typo_shapes_is_refused() -> None:
    rng = random.Random(11)
    flagged = [t for t in TYPO_LOOK_ALIKES if _refused(t)]
    flagged += [c for c in _broken_typo_codes(rng) if _refused(f"tunnus {c}")]
    assert flagged == []


def test_every_new_century_sign_is_caught() -> None:
    rng = random.Random(7)
    for sign in "YXWVUBCDEF":
        century = CENTURY_SIGNS[sign]
        code = make_hetu(dt.date(century + rng.randrange(100), 6, 15), 123, sign)
        assert _refused(f"tunnus {code} lomakkeella"), code
