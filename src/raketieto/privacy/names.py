"""A heuristic for person names in a data value: a common first name beside a capitalised word.

There is no register of names to check against, so this catches the usual shapes
("Matti Virtanen", "Virtanen, Matti", "Anna-Liisa Korhonen") for the first names most common in
Finland; it is a safeguard for extract files, not a guarantee.
"""

from __future__ import annotations

import re

from raketieto.text import fold

# Among the most common first names given in Finland (Finnish and Swedish), folded.
_NAMES_TEXT = (
    "Juhani Johannes Olavi Antero Tapani Kalevi Tapio Matti Mikael Ilmari Juha Timo Mikko "
    "Kari Jari Antti Jukka Markku Pekka Mika Hannu Heikki Seppo Sami Janne Ari Petri Pentti "
    "Veikko Marko Jussi Jaakko Lauri Ville Teemu Tuomas Aleksi Eero Onni Elias Leo Oliver "
    "Eino Väinö Niilo Toivo Oskari Jari Harri Kimmo Jorma Raimo Esa Pasi Risto Erkki Lasse "
    "Tommi Vesa Arto Reijo Tuomo Petteri Henrik Erik Johan Karl Lars Anders Fredrik Stig "
    "Maria Helena Johanna Anneli Kaarina Marjatta Anna Liisa Annikki Hannele Tuula Päivi "
    "Anne Ritva Leena Pirjo Sari Minna Marja Tiina Riitta Merja Eila Aino Aila Sirpa Satu "
    "Pirkko Eeva Kirsi Seija Raija Tarja Sanna Heidi Laura Elina Katja Jenni Emma Sofia Aada "
    "Ella Olivia Venla Lilja Helmi Saara Kerttu Hilkka Elisa Irmeli Marika Jaana Susanna "
    "Kristiina Hanna Katariina Anu Outi Mirja Mervi Maija Tuulikki Margareta Kristina "
    "Birgitta Ingrid Karin Linnea Elsa Ebba"
)
_FIRST_NAMES = frozenset(fold(name) for name in _NAMES_TEXT.split())

_WORD = r"[A-ZÅÄÖÜÉ][a-zåäöüé]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüé]+)?"
_FIRST_LAST = re.compile(rf"(?<![\w-])({_WORD})\s+({_WORD})(?![\w-])")
_LAST_COMMA_FIRST = re.compile(rf"(?<![\w-])({_WORD}),\s*({_WORD})(?![\w-])")


def _is_first_name(word: str) -> bool:
    return all(fold(part) in _FIRST_NAMES for part in word.split("-"))


def looks_like_person_name(text: str) -> bool:
    """True if text contains a common first name next to another capitalised word."""
    for match in _FIRST_LAST.finditer(text):
        if _is_first_name(match.group(1)) and not _is_first_name(match.group(2)):
            return True
    for match in _LAST_COMMA_FIRST.finditer(text):
        if _is_first_name(match.group(2)) and not _is_first_name(match.group(1)):
            return True
    return False
