"""The disclosure audit: can an adversary who sees the published table pin a suppressed count?

The adversary knows every published cell, every additive relation of the table (regional
hierarchy, sex and age margins) and that counts are non-negative integers. Every suppressed
cell carries the same published reason, so the reason tells nothing more.

For a share whose denominator is a client count, write the denominator as numerator + gap:
numerator and gap are both non-negative and additive over the same relations, so the
adversary's knowledge of (numerator, denominator) is exactly the product of its knowledge of
the numerator table and of the gap table. A denominator is pinned only if both its numerator
and its gap are, so a table whose numerators are safe has safe denominators too.
A suppressed count is exposed if its smallest and largest feasible integer values are equal.
Suppressed cells that the relations link form independent components, each solved as a small
integer programme (scipy's HiGHS): a few solutions that move many counts at once settle most
cells, and the rest are tried one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

SMALL_MAX = 4


@dataclass(frozen=True)
class Table:
    """One table: counts per cell, suppression flags, and the relations E x = 0 among cells."""

    counts: np.ndarray  # (K,) non-negative integer counts
    suppressed: np.ndarray  # (K,) bool
    relations: sp.csr_matrix  # (equations, K): +1 for a total, -1 for its parts


def components(relations: sp.csr_matrix, suppressed: np.ndarray) -> list[np.ndarray]:
    """Groups of suppressed cells linked through relations (cell indices, sorted)."""
    cells = np.flatnonzero(suppressed)
    if len(cells) == 0:
        return []
    sub = abs(relations[:, cells]).tocsr()
    linked = (sub.T @ sub).tocsr()
    count, labels = sp.csgraph.connected_components(linked, directed=False)
    return [cells[labels == label] for label in range(count)]


def exposed_cells(table: Table) -> np.ndarray:
    """Indices of suppressed cells whose count the adversary can determine exactly."""
    groups = components(table.relations, table.suppressed)
    if not groups:
        return np.array([], dtype=np.int64)
    # The components are independent, so one programme over all of them at once finds, with a
    # few objectives that move many counts together, a second solution for most cells.
    everything = np.concatenate(groups)
    undecided = _unsettled(_Programme(table, everything), everything)
    found: list[int] = []
    for group in groups:
        rest = group[np.isin(group, undecided)]
        if len(rest):
            found.extend(_pinned(_Programme(table, group), group, rest))
    return np.array(sorted(found), dtype=np.int64)


def _unsettled(programme: _Programme, cells: np.ndarray) -> np.ndarray:
    """Cells for which a few random objectives found no solution other than the truth."""
    truth = programme.truth
    undecided = np.ones(len(truth), dtype=bool)
    rng = np.random.default_rng(0)
    idle = 0
    for attempt in range(16):
        before = int(undecided.sum())
        if before == 0 or idle >= 2:
            break
        # All of one sign first (everything up, everything down), then mixed signs, which move
        # counts that can only trade against each other.
        if attempt < 2:
            weights = (1.0 - 2.0 * attempt) * (1.0 + rng.random(len(truth)))
        else:
            weights = rng.normal(size=len(truth))
        solution = programme.solve(np.where(undecided, weights, 0.0))
        if solution is not None:
            undecided[np.abs(solution - truth) > 0.5] = False
        idle = idle + 1 if int(undecided.sum()) > 0.95 * before else 0
    result: np.ndarray = cells[undecided]
    return result


def _pinned(programme: _Programme, cells: np.ndarray, candidates: np.ndarray) -> list[int]:
    """Of candidates (cells of one component), those whose minimum equals their maximum."""
    truth = programme.truth
    undecided = np.isin(cells, candidates)
    exposed: list[int] = []
    for index in np.flatnonzero(undecided):
        if not undecided[index]:
            continue
        for sign in (1.0, -1.0):
            weights = np.zeros(len(truth))
            weights[index] = sign
            solution = programme.solve(weights)
            if solution is not None:
                undecided[np.abs(solution - truth) > 0.5] = False
            if not undecided[index]:
                break
        if undecided[index]:
            exposed.append(int(cells[index]))
            undecided[index] = False
    return exposed


class _Programme:
    """The adversary's constraints for one component, as an integer programme."""

    def __init__(self, table: Table, cells: np.ndarray) -> None:
        n_var = len(cells)
        counts = table.counts.astype(float)
        position = {int(c): i for i, c in enumerate(cells)}
        upper = float(counts.max(initial=0)) + 1.0
        self.truth = counts[cells]
        row_ids: list[int] = []
        col_ids: list[int] = []
        coefficients: list[float] = []
        lower_b: list[float] = []
        upper_b: list[float] = []

        def row(entries: dict[int, float], lo: float, hi: float) -> None:
            number = len(lower_b)
            for column, value in entries.items():
                row_ids.append(number)
                col_ids.append(column)
                coefficients.append(value)
            lower_b.append(lo)
            upper_b.append(hi)

        # Additive relations: the suppressed part of each relation equals what is published.
        relevant = np.unique(table.relations[:, cells].nonzero()[0])
        block = table.relations[relevant].tocsr()
        published = ~table.suppressed
        constants = -(block[:, published] @ counts[published])
        for e in range(block.shape[0]):
            start, end = block.indptr[e], block.indptr[e + 1]
            entries: dict[int, float] = {}
            for column, coefficient in zip(
                block.indices[start:end], block.data[start:end], strict=True
            ):
                if int(column) in position:
                    entries[position[int(column)]] = float(coefficient)
            row(entries, constants[e], constants[e])
        self.n_var = n_var
        matrix = sp.csr_matrix(
            (coefficients, (row_ids, col_ids)), shape=(len(lower_b), n_var), dtype=float
        )
        self.constraint = LinearConstraint(matrix, np.array(lower_b), np.array(upper_b))
        self.bounds = Bounds(np.zeros(n_var), np.full(n_var, upper))
        self.integrality = np.ones(n_var)

    def solve(self, weights: np.ndarray) -> np.ndarray | None:
        """A feasible point minimising weights · counts, or None if the solver found none."""
        result = milp(
            weights,
            constraints=self.constraint,
            integrality=self.integrality,
            bounds=self.bounds,
            options={"presolve": True, "time_limit": 30.0},
        )
        if result.x is None:
            return None
        solution: np.ndarray = np.round(result.x)
        return solution
