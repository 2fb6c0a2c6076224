"""The disclosure audit: can an adversary who sees the published table pin a suppressed count?

The adversary knows every published cell, every additive relation of the table (regional
hierarchy, sex and age margins), that counts are non-negative integers, the published reason of
each suppression, and for client-count rules that the numerator never exceeds the denominator:
- 'primary': the numerator is 1–4 (or, for client-count rules, the numerator or the denominator
  is 1–4);
- 'complementary': none of the cell's counts is 1–4, so each is 0 or at least 5.
A suppressed count is exposed if its smallest and largest feasible integer values are equal.
Suppressed cells that the relations link form independent components, each solved as a small
mixed-integer programme (scipy's HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

SMALL_MAX = 4
LARGE_MIN = 5


@dataclass(frozen=True)
class Table:
    """One table: counts per cell, suppression flags, and the relations E x = 0 among cells."""

    numerator: np.ndarray  # (K,) integer counts
    denominator: np.ndarray | None  # (K,) client counts, or None when the denominator is public
    suppressed: np.ndarray  # (K,) bool
    primary: np.ndarray  # (K,) bool, a subset of suppressed
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
    """Indices of suppressed cells any of whose counts the adversary can determine exactly."""
    found: list[int] = []
    for group in components(table.relations, table.suppressed):
        found.extend(int(c) for c in _exposed_in(table, group))
    return np.array(sorted(found), dtype=np.int64)


def _exposed_in(table: Table, cells: np.ndarray) -> list[int]:
    programme = _Programme(table, cells)
    truth = programme.truth
    undecided = np.ones(len(truth), dtype=bool)

    def mark(solution: np.ndarray | None) -> None:
        if solution is not None:
            undecided[np.abs(solution[: len(truth)] - truth) > 0.5] = False

    # One solution that moves many counts at once settles most of them; the rest one by one.
    rng = np.random.default_rng(0)
    for sign in (1.0, -1.0):
        weights = np.where(undecided, sign * (1.0 + rng.random(len(truth))), 0.0)
        mark(programme.solve(weights))
    exposed: set[int] = set()
    for index in np.flatnonzero(undecided):
        if not undecided[index]:
            continue
        for sign in (1.0, -1.0):
            weights = np.zeros(len(truth))
            weights[index] = sign
            mark(programme.solve(weights))
            if not undecided[index]:
                break
        if undecided[index]:
            exposed.add(int(cells[index % len(cells)]))
            undecided[index] = False
    return sorted(exposed)


class _Programme:
    """The adversary's constraints for one component, as a mixed-integer programme."""

    def __init__(self, table: Table, cells: np.ndarray) -> None:
        n = len(cells)
        has_den = table.denominator is not None
        counts = 2 if has_den else 1
        position = {int(c): i for i, c in enumerate(cells)}
        num = table.numerator.astype(float)
        den = table.denominator.astype(float) if table.denominator is not None else None
        upper = float(max(num.max(initial=0), 0 if den is None else den.max(initial=0))) + 1.0
        truth = [num[cells]] + ([den[cells]] if den is not None else [])
        self.truth = np.concatenate(truth)

        primary = table.primary[cells]
        n_bin = (2 * counts) * n  # generous: two binaries per count, unused ones fixed to 0
        n_var = counts * n + n_bin
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
        for k, values in enumerate([num] + ([den] if den is not None else [])):
            constants = -(block[:, published] @ values[published])
            for e in range(block.shape[0]):
                start, end = block.indptr[e], block.indptr[e + 1]
                entries: dict[int, float] = {}
                for column, coefficient in zip(
                    block.indices[start:end], block.data[start:end], strict=True
                ):
                    if int(column) in position:
                        entries[k * n + position[int(column)]] = float(coefficient)
                row(entries, constants[e], constants[e])

        var_lo = np.zeros(n_var)
        var_hi = np.full(n_var, upper)
        var_hi[counts * n :] = 1.0
        binary = counts * n

        def small_or(count_col: int, flag: int) -> None:
            # flag = 1 forces 1 <= count <= 4.
            row({count_col: 1.0, flag: -1.0}, 0.0, np.inf)
            row({count_col: 1.0, flag: upper}, -np.inf, SMALL_MAX + upper)

        def zero_or_large(count_col: int, flag: int) -> None:
            # flag = 0: count = 0; flag = 1: count >= 5.
            row({count_col: 1.0, flag: -LARGE_MIN}, 0.0, np.inf)
            row({count_col: 1.0, flag: -upper}, -np.inf, 0.0)

        for i in range(n):
            flags = [binary + (2 * counts) * i + j for j in range(2 * counts)]
            if has_den:
                row({i: 1.0, n + i: -1.0}, -np.inf, 0.0)  # numerator <= denominator
                if primary[i]:
                    small_or(i, flags[0])
                    small_or(n + i, flags[1])
                    row({flags[0]: 1.0, flags[1]: 1.0}, 1.0, np.inf)
                else:
                    zero_or_large(i, flags[0])
                    zero_or_large(n + i, flags[1])
                var_hi[flags[2:]] = 0.0
            else:
                if primary[i]:
                    var_lo[i], var_hi[i] = 1.0, float(SMALL_MAX)
                else:
                    zero_or_large(i, flags[0])
                var_hi[flags[1:]] = 0.0
        self.n_var = n_var
        matrix = sp.csr_matrix(
            (coefficients, (row_ids, col_ids)), shape=(len(lower_b), n_var), dtype=float
        )
        self.constraint = LinearConstraint(matrix, np.array(lower_b), np.array(upper_b))
        self.bounds = Bounds(var_lo, var_hi)
        self.integrality = np.ones(n_var)

    def solve(self, weights: np.ndarray) -> np.ndarray | None:
        """A feasible point minimising weights · counts, or None if the solver found none."""
        objective = np.zeros(self.n_var)
        objective[: len(weights)] = weights
        result = milp(
            objective,
            constraints=self.constraint,
            integrality=self.integrality,
            bounds=self.bounds,
            options={"presolve": True, "time_limit": 30.0},
        )
        if result.x is None:
            return None
        solution: np.ndarray = np.round(result.x)
        return solution
