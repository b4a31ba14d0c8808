"""How the funded amounts are spread over the funders: each funder's share of the total
as close as possible to its share of the money available (step 2 of
``cofinancing.allocation``). The linear programme is HiGHS's, through SciPy; the planner
solves it only when the envelopes' rules keep a share out of reach of a maximum flow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from fundflow.cofinancing.allocation import Need, Pot


def fair_shares(kept: Sequence[Need], pots: Sequence[Pot]) -> dict[int, float]:
    """Each funder's share of the funded amount in proportion to the money it has."""
    total_available = sum(pot.cents for pot in pots)
    total_needed = sum(need.cents for need in kept)
    target: dict[int, float] = defaultdict(float)
    for pot in pots:
        target[pot.funder_id] += total_needed * pot.cents / total_available
    return dict(target)


def spread_amounts(
    kept: Sequence[Need], pots: Sequence[Pot]
) -> dict[tuple[int, int], float] | None:
    """HiGHS: the funded amounts, each funder as close as possible to its fair share."""
    from scipy.optimize import linprog

    pairs, program = spread_program(kept, pots)
    if not pairs:
        return {}
    result = linprog(**program, method="highs")
    if not result.success:
        return None
    return {(need.project_id, e): float(result.x[k]) for k, (need, e) in enumerate(pairs)}


def spread_program(
    kept: Sequence[Need], pots: Sequence[Pot]
) -> tuple[list[tuple[Need, int]], dict[str, Any]]:
    """The linear program of ``spread_amounts``: its (project, envelope) variables and the
    arguments of ``scipy.optimize.linprog``."""
    from scipy.sparse import csr_matrix

    pairs = [(need, e) for need in kept for e in need.caps if need.caps[e] > 0]
    if not pairs:
        return [], {}
    funders = sorted({pot.funder_id for pot in pots})
    f_index = {f: i for i, f in enumerate(funders)}
    pot_of = {pot.envelope_id: pot for pot in pots}
    total_needed = sum(need.cents for need in kept)
    target = fair_shares(kept, pots)
    nx, nf = len(pairs), len(funders)
    # Variables: x (one per eligible pair), then d (one per funder: |load - target|).
    cost = np.concatenate([np.zeros(nx), np.ones(nf) / max(total_needed, 1)])
    eq_rows, eq_cols, eq_b = [], [], []
    project_row = {need.project_id: i for i, need in enumerate(kept)}
    for k, (need, _) in enumerate(pairs):
        eq_rows.append(project_row[need.project_id])
        eq_cols.append(k)
    eq_b = [need.cents for need in kept]
    a_eq = csr_matrix((np.ones(len(eq_rows)), (eq_rows, eq_cols)), shape=(len(kept), nx + nf))
    ub_rows, ub_cols, ub_vals, ub_b = [], [], [], []
    pot_row = {pot.envelope_id: i for i, pot in enumerate(pots)}
    for k, (_, e) in enumerate(pairs):  # envelopes: sum of x <= available
        ub_rows.append(pot_row[e])
        ub_cols.append(k)
        ub_vals.append(1.0)
    ub_b = [float(pot.cents) for pot in pots]
    base = len(pots)
    for k, (_, e) in enumerate(pairs):  # load_f - d_f <= target_f and -load_f - d_f <= -target_f
        f = f_index[pot_of[e].funder_id]
        ub_rows += [base + 2 * f, base + 2 * f + 1]
        ub_cols += [k, k]
        ub_vals += [1.0, -1.0]
    for f in funders:
        i = f_index[f]
        ub_rows += [base + 2 * i, base + 2 * i + 1]
        ub_cols += [nx + i, nx + i]
        ub_vals += [-1.0, -1.0]
        ub_b += [target[f], -target[f]]
    a_ub = csr_matrix((ub_vals, (ub_rows, ub_cols)), shape=(base + 2 * nf, nx + nf))
    bounds = [(0, need.caps[e]) for need, e in pairs] + [(0, None)] * nf
    return pairs, {
        "c": cost,
        "A_ub": a_ub,
        "b_ub": ub_b,
        "A_eq": a_eq,
        "b_eq": eq_b,
        "bounds": bounds,
    }
