"""Disclosure control for client-data tables, in one place, before anything reaches the cube.

A table is one rule and one year: every region of every level (municipality, county,
collaborative area, country) × the margins by sex (total, male, female) and by age group
(0-14, 15-64, 65+). Every cell is the exact sum of its parts, so the table carries additive
relations:
- a region is the sum of its child regions (for each margin cell);
- a region's total is male + female, and it is also the sum of the age groups.

Primary suppression hides a cell whose count is 1–4: the numerator, and for shares whose
denominator is itself a client count also the denominator and the difference between them.
Complementary suppression then hides further cells until no suppressed count can be determined
exactly by an adversary who knows every published cell, every relation and that counts are
non-negative integers (see audit.py); all suppressed cells share one reason. First the
classic rule that no relation may hold exactly one suppressed cell, then the exact audit, whose
findings are protected by more suppression until it finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from raketieto.clientdata.audit import SMALL_MAX, Table, exposed_cells
from raketieto.errors import RaketietoError
from raketieto.regions import Division, Level

SEXES = ("total", "male", "female")
AGE_GROUPS = ("total", "0-14", "15-64", "65+")
#: (sex, age group) of every column of a region, in the table's order: the margins by sex and
#: by age group. Cross cells (a sex and an age band at once) are not published: in a county's
#: municipalities most would be 1–4, and the population has no such cells for the rates.
COMBOS: tuple[tuple[str, str], ...] = tuple(
    (s, a) for s in SEXES for a in AGE_GROUPS if s == "total" or a == "total"
)

_MAX_ROUNDS = 50


#: The one published reason of every suppressed cell. Primary and complementary suppressions
#: are not told apart: a separate reason would tell an adversary that a cell is 1–4, or that it
#: is not, and narrow what it can be.
REASON = "tietosuoja: pieni luku (1–4) tai sen päättely summista estetty"


@dataclass(frozen=True)
class Layout:
    """The cells of one table (region × COMBOS, region-major) and their additive relations."""

    regions: tuple[str, ...]
    levels: np.ndarray  # (regions,) depth of each region: 0 country … 3 municipality
    relations: sp.csr_matrix  # (equations, cells): +1 for the total, -1 for each part

    @property
    def size(self) -> int:
        """Number of cells."""
        return len(self.regions) * len(COMBOS)

    def cell(self, region: int, sex: str, age_group: str) -> int:
        """Index of one cell."""
        return region * len(COMBOS) + COMBOS.index((sex, age_group))


_LAYOUTS: dict[int, Layout] = {}


def layout(division: Division) -> Layout:
    """The table layout of division (built once per division year)."""
    cached = _LAYOUTS.get(division.year)
    if cached is None:
        cached = _LAYOUTS[division.year] = _build_layout(division)
    return cached


def _build_layout(division: Division) -> Layout:
    order = [Level.COUNTRY, Level.COLLABORATIVE_AREA, Level.COUNTY, Level.MUNICIPALITY]
    regions = [r.code for level in order for r in division.at_level(level)]
    position = {code: i for i, code in enumerate(regions)}
    depth = np.array([order.index(division.regions[c].level) for c in regions], dtype=np.int8)
    width = len(COMBOS)
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []

    def relation(total: int, parts: list[int]) -> None:
        number = len(rows) and rows[-1] + 1
        rows.extend([number] * (len(parts) + 1))
        cols.extend([total, *parts])
        data.extend([1.0] + [-1.0] * len(parts))

    for code in regions:
        r = position[code]
        children = [position[c.code] for c in division.children(code)]
        for k in range(width):
            if children:
                relation(r * width + k, [c * width + k for c in children])
        total = r * width + COMBOS.index(("total", "total"))
        relation(total, [r * width + COMBOS.index((s, "total")) for s in SEXES[1:]])
        relation(total, [r * width + COMBOS.index(("total", a)) for a in AGE_GROUPS[1:]])
    matrix = sp.csr_matrix(
        (data, (rows, cols)), shape=(rows[-1] + 1, len(regions) * width), dtype=float
    )
    return Layout(regions=tuple(regions), levels=depth, relations=matrix)


def _small(counts: np.ndarray) -> np.ndarray:
    result: np.ndarray = (counts >= 1) & (counts <= SMALL_MAX)
    return result


def primary_cells(numerator: np.ndarray, denominator: np.ndarray | None) -> np.ndarray:
    """Cells whose own counts are 1–4 (for client-count shares also the denominator and gap)."""
    small = _small(numerator)
    if denominator is not None:
        small |= _small(denominator) | _small(denominator - numerator)
    return small


@dataclass(frozen=True)
class Suppression:
    """The outcome for one table: which cells are hidden, and which of them for small counts."""

    suppressed: np.ndarray  # (cells,) bool
    primary: np.ndarray  # (cells,) bool, a subset of suppressed

    def reasons(self) -> list[str | None]:
        """The published reason of every cell (None where the cell is published)."""
        return [REASON if hidden else None for hidden in self.suppressed]


def suppress(
    numerator: np.ndarray, denominator: np.ndarray | None, table_layout: Layout
) -> Suppression:
    """Primary and complementary suppression of one table, checked by the exact audit.

    numerator (and denominator, when it is a client count) hold the true counts of every cell
    in table_layout's order; they must already satisfy the table's relations.
    """
    numerator = np.asarray(numerator, dtype=float)
    den = None if denominator is None else np.asarray(denominator, dtype=float)
    if numerator.shape != (table_layout.size,):
        raise RaketietoError(
            f"Taulussa on {numerator.shape[0]} solua; odotettiin {table_layout.size}."
        )
    relations = table_layout.relations
    if np.abs(relations @ numerator).max(initial=0) > 1e-6:
        raise RaketietoError("Taulun summat eivät täsmää osiinsa; peittämistä ei voi tehdä.")
    primary = primary_cells(numerator, den)
    suppressed = primary.copy()
    # How much a cell would cost to hide: its (numerator) count. A small count is
    # a poor complement (little room to move), and a zero hides nothing readers need but
    # also gives a hidden neighbour no room to move down, so both go last.
    size = numerator
    cost = np.where(size > SMALL_MAX, size, np.where(size > 0, 1e6 + size, 1e9))
    # Finer regions are cheaper to hide than the coarser totals users read first.
    level = np.repeat(table_layout.levels, len(COMBOS)).astype(float)
    cost = cost * (1.0 + (3.0 - level))
    # For a share with a client-count denominator the adversary's knowledge is a product of
    # its knowledge of the numerator and of the gap denominator − numerator (audit.py), so a
    # denominator can be pinned only where the numerator is: auditing numerators suffices.
    incidence = relations.tocsr()
    by_cell = relations.T.tocsr()
    for _ in range(_MAX_ROUNDS):
        _no_singletons(incidence, suppressed, cost)
        exposed = exposed_cells(Table(counts=numerator, suppressed=suppressed, relations=relations))
        if len(exposed) == 0:
            return Suppression(suppressed=suppressed, primary=primary)
        hidden_before = int(suppressed.sum())
        for cell in exposed:
            for equation in by_cell.indices[by_cell.indptr[cell] : by_cell.indptr[cell + 1]]:
                _hide_one_more(incidence, int(equation), suppressed, cost)
        if int(suppressed.sum()) == hidden_before:
            break
    raise RaketietoError(
        "Peittäminen ei löytänyt turvallista ratkaisua; taulua ei julkaista."
    )  # pragma: no cover - has not happened on any table tried


def _no_singletons(incidence: sp.csr_matrix, suppressed: np.ndarray, cost: np.ndarray) -> None:
    """Hide more cells until no relation holds exactly one suppressed cell."""
    counts = incidence.astype(bool).astype(np.int64) @ suppressed.astype(np.int64)
    pending: list[int] = [int(e) for e in np.flatnonzero(counts == 1)]
    while pending:
        equation = int(pending.pop())
        start, end = incidence.indptr[equation], incidence.indptr[equation + 1]
        if int(suppressed[incidence.indices[start:end]].sum()) != 1:
            continue
        chosen = _hide_one_more(incidence, equation, suppressed, cost)
        if chosen is None:
            continue
        # The newly hidden cell may leave a singleton in the other relations it belongs to.
        column = incidence[:, chosen].nonzero()[0]
        pending.extend(int(e) for e in column)


def _hide_one_more(
    incidence: sp.csr_matrix, equation: int, suppressed: np.ndarray, cost: np.ndarray
) -> int | None:
    """Hide the cheapest published cell of one relation (parts before the total)."""
    start, end = incidence.indptr[equation], incidence.indptr[equation + 1]
    cells = incidence.indices[start:end]
    signs = incidence.data[start:end]
    open_cells = ~suppressed[cells]
    if not open_cells.any():
        return None
    # The total (+1) costs more than any part: hide parts first.
    weight = cost[cells] * np.where(signs > 0, 10.0, 1.0)
    weight = np.where(open_cells, weight, np.inf)
    chosen = int(cells[int(np.argmin(weight))])
    suppressed[chosen] = True
    return chosen
