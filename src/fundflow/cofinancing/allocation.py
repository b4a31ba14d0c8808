"""The allocation optimizer: which approved projects the envelopes can fund, and how.

Pure, in integer cents. Three steps:

1. **Who is funded.** Projects are taken in ranking order; each is kept if, together with
   every project kept before it, the envelopes can still fund all of them in full (money
   may be re-routed between envelopes). That greedy with an exact feasibility test is the
   lexicographic optimum: no plan funds a higher-ranked project it leaves out. The test is
   a maximum flow (source → project → envelope → sink, with the rules as edge capacities),
   solved by SciPy's compiled Dinic algorithm; a project that fits in spare capacity is
   kept without re-solving.
2. **How the load is spread.** With the funded set fixed, each funder's share of the total
   should be as close as possible to its share of the available money. A maximum flow
   capping each funder at that share finds it exactly when the rules allow it; otherwise
   a linear programme solved by HiGHS finds the closest spread.
3. **Cents.** The LP's amounts are rounded through one more integral maximum flow bounded
   by them, so every project is funded to the cent and no envelope or cap is exceeded.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from fundflow.cofinancing.allocation_spread import fair_shares, spread_amounts, spread_program

# scipy is imported where the planner runs, not with the service: it holds about 40 MB a
# process that most processes (and every request but an allocation) never use.

INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Need:
    project_id: int
    rank: int
    cents: int
    # Envelope id → the most it may give this project, in cents (rules already applied).
    caps: dict[int, int]
    # Why envelopes were not eligible at all: rule name → how many envelopes said so.
    refusals: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Pot:
    envelope_id: int
    funder_id: int
    cents: int  # available


@dataclass(frozen=True)
class Unfunded:
    project_id: int
    rank: int
    rule: str
    reason: str


@dataclass(frozen=True)
class Plan:
    # (project id, envelope id) → cents
    amounts: dict[tuple[int, int], int]
    unfunded: list[Unfunded]

    @property
    def funded(self) -> set[int]:
        return {project_id for project_id, _ in self.amounts}


def _chf(cents: int) -> str:
    return f"{cents / 100:,.2f}".replace(",", "'")


class _Network:
    """source → projects → envelopes → sink, capacities in cents, grown one project at a
    time; each check builds the sparse matrix from arrays kept between checks. With
    ``funder_caps`` each envelope flows through its funder's node, whose edge to the sink
    caps the funder's load."""

    def __init__(
        self, pots: Sequence[Pot], capacity: int, funder_caps: dict[int, int] | None = None
    ) -> None:
        self.pots = pots
        self.m = len(pots)
        self.pot_node = {pot.envelope_id: 2 + i for i, pot in enumerate(pots)}
        funders = sorted(funder_caps or {})
        funder_node = {f: 2 + self.m + i for i, f in enumerate(funders)}
        self.first_project = 2 + self.m + len(funders)
        # source 0, sink 1, envelopes, funders, then projects
        self.size = self.first_project + capacity
        rows = [2 + i for i in range(self.m)]
        cols = [funder_node[pot.funder_id] if funder_caps else 1 for pot in pots]
        data = [pot.cents for pot in pots]
        if funder_caps:
            rows += [funder_node[f] for f in funders]
            cols += [1] * len(funders)
            data += [funder_caps[f] for f in funders]
        if data and max(data) > INT32_MAX:
            raise ValueError("amounts above CHF 21 million do not fit the flow solver")
        # The edges in arrays, one per project added: a check joins them in C rather than
        # converting every edge from Python again (the bulk of a check's time otherwise).
        self.edges: list[np.ndarray] = [np.array([rows, cols, data], dtype=np.int32)]
        self.projects: list[Need] = []
        self.demand = 0

    def _edges(self, need: Need, node: int, caps: dict[int, int]) -> np.ndarray:
        rows, cols, data = [0], [node], [need.cents]
        for envelope_id, cap in caps.items():
            if cap > 0 and envelope_id in self.pot_node:
                rows.append(node)
                cols.append(self.pot_node[envelope_id])
                data.append(cap)
        return np.array([rows, cols, data], dtype=np.int32)

    def feasible_with(self, need: Need, caps: dict[int, int] | None = None) -> bool:
        """Could every project so far and ``need`` be funded in full? Keeps it if so."""
        node = self.first_project + len(self.projects)
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import maximum_flow

        edges = self._edges(need, node, need.caps if caps is None else caps)
        rows, cols, data = np.concatenate([*self.edges, edges], axis=1)
        graph = csr_matrix((data, (rows, cols)), shape=(self.size, self.size))
        result = maximum_flow(graph, 0, 1, method="dinic")
        if result.flow_value != self.demand + need.cents:
            return False
        self.edges.append(edges)
        self.projects.append(need)
        self.demand += need.cents
        self.flow = result.flow
        return True

    def add(self, need: Need, caps: dict[int, int] | None = None) -> None:
        """Record a project known to fit, without solving."""
        node = self.first_project + len(self.projects)
        self.edges.append(self._edges(need, node, need.caps if caps is None else caps))
        self.projects.append(need)
        self.demand += need.cents

    def loads(self) -> dict[int, int]:
        """Each envelope's load (a network without funder nodes)."""
        column = self.flow.tocsc()[:, 1].toarray().ravel()
        return {pot.envelope_id: int(column[2 + i]) for i, pot in enumerate(self.pots)}

    def amounts(self) -> dict[tuple[int, int], int]:
        flow = self.flow.tocoo()
        first_project = self.first_project
        last_envelope = 2 + self.m
        envelope_of = {node: envelope_id for envelope_id, node in self.pot_node.items()}
        keep = (
            (flow.row >= first_project)
            & (flow.col >= 2)
            & (flow.col < last_envelope)
            & (flow.data > 0)
        )
        return {
            (self.projects[int(u) - first_project].project_id, envelope_of[int(v)]): int(x)
            for u, v, x in zip(flow.row[keep], flow.col[keep], flow.data[keep], strict=True)
        }


def _select(ranked: Sequence[Need], pots: Sequence[Pot]) -> tuple[list[Need], list[Unfunded]]:
    network = _Network(pots, len(ranked))
    load: dict[int, int] = defaultdict(int)
    available = {pot.envelope_id: pot.cents for pot in pots}
    left_in_total = sum(available.values())
    unfunded: list[Unfunded] = []
    for need in ranked:
        usable = {e: min(cap, available.get(e, 0)) for e, cap in need.caps.items()}
        if not need.caps:
            rules = ", ".join(f"{rule} ({count})" for rule, count in sorted(need.refusals.items()))
            unfunded.append(
                Unfunded(
                    need.project_id,
                    need.rank,
                    "no_eligible_envelope",
                    f"No envelope may fund it: {rules or 'none available'}.",
                )
            )
            continue
        if sum(need.caps.values()) < need.cents:
            unfunded.append(
                Unfunded(
                    need.project_id,
                    need.rank,
                    "envelope_caps",
                    f"Its envelopes' caps per project allow {_chf(sum(need.caps.values()))}; it "
                    f"needs {_chf(need.cents)}.",
                )
            )
            continue
        if sum(usable.values()) < need.cents:
            unfunded.append(
                Unfunded(
                    need.project_id,
                    need.rank,
                    "shortfall",
                    f"The envelopes it may draw on have {_chf(sum(usable.values()))} left; it "
                    f"needs {_chf(need.cents)}.",
                )
            )
            continue
        spare = {e: min(cap, available[e] - load[e]) for e, cap in usable.items()}
        room = sum(max(s, 0) for s in spare.values())
        if need.cents > left_in_total:
            unfunded.append(
                Unfunded(
                    need.project_id,
                    need.rank,
                    "shortfall",
                    f"Higher-ranked projects use all but {_chf(left_in_total)} of the envelopes; "
                    f"it needs {_chf(need.cents)}.",
                )
            )
            continue
        if room >= need.cents:
            # It fits in what is left: keep it without re-routing anybody.
            left = need.cents
            for envelope_id, space in sorted(spare.items(), key=lambda item: -item[1]):
                take = min(space, left)
                if take > 0:
                    load[envelope_id] += take
                    left -= take
            network.add(need)
            left_in_total -= need.cents
            continue
        if network.feasible_with(need):
            load = defaultdict(int, network.loads())
            left_in_total -= need.cents
        else:
            unfunded.append(
                Unfunded(
                    need.project_id,
                    need.rank,
                    "shortfall",
                    f"Higher-ranked projects use the envelopes it may draw on: about "
                    f"{_chf(room)} is left there; it needs {_chf(need.cents)}.",
                )
            )
    return network.projects, unfunded


class PlanTooLarge(ValueError):
    """The projects ask for more than the solver's integer capacities hold."""


def _funded_by_flow(
    kept: Sequence[Need],
    flow_pots: Sequence[Pot],
    *,
    caps_of: Callable[[Need], dict[int, int]] | None = None,
    funder_caps: dict[int, int] | None = None,
) -> dict[tuple[int, int], int] | None:
    """Every kept project funded in full by one integral maximum flow, its edges capped by
    ``caps_of`` (else the project's own caps) and the funders' loads by ``funder_caps``;
    None when these caps make it impossible."""
    network = _Network(flow_pots, len(kept), funder_caps)
    for need in kept[:-1]:
        network.add(need, caps_of(need) if caps_of else None)
    last = kept[-1]
    if not network.feasible_with(last, caps_of(last) if caps_of else None):
        return None
    return dict(sorted(network.amounts().items()))


def allocate(needs: Sequence[Need], pots: Sequence[Pot]) -> Plan:
    ranked, pots, flow_pots = _prepared(needs, pots)
    kept, unfunded = _select(ranked, flow_pots)
    if not kept:
        return Plan(amounts={}, unfunded=unfunded)
    # The spread's optimum when the rules let every funder reach its fair share (rounded up
    # to the cent): those caps add up to the funded amount, so a flow funding every project
    # meets them all, as the programme would.
    demand = sum(need.cents for need in kept)
    shares = {f: min(math.ceil(t - 1e-6), demand) for f, t in fair_shares(kept, pots).items()}
    amounts = _funded_by_flow(kept, flow_pots, funder_caps=shares)
    if amounts is None:
        spread = spread_amounts(kept, pots)
        if spread is not None:
            amounts = _funded_by_flow(kept, flow_pots, caps_of=lambda need: _bounds(need, spread))
    if amounts is None:
        amounts = _funded_by_flow(kept, flow_pots)
    if amounts is None:
        raise AssertionError("the funded projects were found feasible and must stay so")
    return Plan(amounts=amounts, unfunded=unfunded)


def funded_program(needs: Sequence[Need], pots: Sequence[Pot]) -> dict[str, Any]:
    """The one linear program ``allocate`` solves for these needs (for bench/allocation.py
    to time it alone)."""
    ranked, pots, flow_pots = _prepared(needs, pots)
    kept, _ = _select(ranked, flow_pots)
    return spread_program(kept, pots)[1]


def _prepared(
    needs: Sequence[Need], pots: Sequence[Pot]
) -> tuple[list[Need], list[Pot], list[Pot]]:
    """The needs in rank order, the pots with money, and the pots as the flows see them."""
    # In the flows no envelope, and no edge, can carry more than all the projects ask for:
    # capping them there changes no plan, and keeps an envelope of any size within the
    # solver's integer range. The spread still weighs each envelope's whole money.
    demand = sum(need.cents for need in needs)
    if demand > INT32_MAX:
        raise PlanTooLarge(
            f"the projects ask for {_chf(demand)} in all; the planner handles up to "
            f"{_chf(INT32_MAX)} at once"
        )
    needs = [
        replace(need, caps={e: min(cap, need.cents) for e, cap in need.caps.items()})
        for need in needs
    ]
    ranked = sorted(needs, key=lambda need: need.rank)
    pots = [pot for pot in pots if pot.cents > 0]
    flow_pots = [replace(pot, cents=min(pot.cents, demand)) for pot in pots]
    return ranked, pots, flow_pots


def _bounds(need: Need, spread: dict[tuple[int, int], float]) -> dict[int, int]:
    """The LP's amounts rounded up, as caps: an integral flow within them funds every
    project exactly (the LP's own amounts are a flow within them)."""
    return {
        e: min(math.ceil(spread.get((need.project_id, e), 0.0) - 1e-6), cap)
        for e, cap in need.caps.items()
    }
