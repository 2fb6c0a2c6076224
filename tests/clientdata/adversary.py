"""An independent adversary: from published facts alone, pin down suppressed counts if it can.

It rebuilds the table's additive relations from the division (region = sum of its children;
total = male + female = sum of the age groups), takes every published count as a constant and
every suppressed count as an unknown non-negative integer (with numerator <= denominator where
the denominator is a client count), and finds each unknown's smallest and largest value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from raketieto.regions import Division

AGES = ("0-14", "15-64", "65+")


def _relations(division: Division) -> list[tuple[tuple[str, str, str], list[tuple[str, str, str]]]]:
    out = []
    margins = [("total", "total"), ("male", "total"), ("female", "total")]
    margins += [("total", a) for a in AGES]
    for code in division.regions:
        children = [c.code for c in division.children(code)]
        if children:
            for sex, age in margins:
                out.append(((code, sex, age), [(c, sex, age) for c in children]))
        out.append(((code, "total", "total"), [(code, "male", "total"), (code, "female", "total")]))
        out.append(((code, "total", "total"), [(code, "total", a) for a in AGES]))
    return out


def exactly_known(
    facts: pd.DataFrame, division: Division, *, count_denominator: bool
) -> list[tuple[str, str, str, str]]:
    """Suppressed cells (region, sex, age, 'numerator'|'denominator') whose count is pinned."""
    keyed = facts.set_index(["region_code", "sex", "age_group"])
    hidden = [k for k, row in keyed.iterrows() if bool(row["suppressed"])]
    if not hidden:
        return []
    blocks = ["numerator", "denominator"] if count_denominator else ["numerator"]
    n = len(hidden)
    position = {k: i for i, k in enumerate(hidden)}
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for total, parts in _relations(division):
        cells = [(total, 1.0)] + [(p, -1.0) for p in parts]
        if not any(c in position for c, _ in cells):
            continue
        for b, block in enumerate(blocks):
            entries: dict[int, float] = {}
            constant = 0.0
            for cell, sign in cells:
                if cell in position:
                    entries[b * n + position[cell]] = sign
                else:
                    constant -= sign * float(keyed.loc[cell, block])
            rows.append(entries)
            rhs.append(constant)
    n_var = n * len(blocks)
    matrix = sp.lil_matrix((len(rows) + (n if count_denominator else 0), n_var))
    lower = np.array(rhs + ([-np.inf] * n if count_denominator else []))
    upper = np.array(rhs + ([0.0] * n if count_denominator else []))
    for r, entries in enumerate(rows):
        for column, value in entries.items():
            matrix[r, column] = value
    if count_denominator:
        for i in range(n):
            matrix[len(rows) + i, i] = 1.0
            matrix[len(rows) + i, n + i] = -1.0
    bound = 10.0 * float(facts[blocks].max().max()) + 100.0
    constraint = LinearConstraint(matrix.tocsr(), lower, upper)

    def solve(objective: np.ndarray) -> np.ndarray:
        result = milp(
            objective,
            constraints=constraint,
            integrality=np.ones(n_var),
            bounds=Bounds(np.zeros(n_var), np.full(n_var, bound)),
        )
        assert result.x is not None, "the published table must be consistent"
        solution: np.ndarray = np.round(result.x)
        return solution

    # Solutions far apart show most cells can move; only the rest need their own min and max.
    rng = np.random.default_rng(1)
    seen = [solve(rng.normal(size=n_var)) for _ in range(4)]
    low = np.min(seen, axis=0)
    high = np.max(seen, axis=0)
    pinned = []
    for column in np.flatnonzero(low == high):
        unit = np.zeros(n_var)
        unit[column] = 1.0
        if solve(unit)[column] == solve(-unit)[column]:
            region, sex, age = hidden[column % n]
            pinned.append((region, sex, age, blocks[column // n]))
    return pinned
