"""Solve the allocation of 2,000 approved projects over 40 envelopes with rules.

Projects and envelopes are generated (a fixed seed), the envelopes' rules applied by the
same module the service uses, and the optimizer timed beside the one HiGHS linear program
it solves (the same size, timed alone in the same run); prints both, their ratio, and how
many projects are funded. The grants (CHF 2,000 to 15,000) keep the whole demand within
what the planner takes at once (CHF 21.4 million: its flows count cents in 32 bits).

    .venv/bin/python bench/allocation.py [--projects 2000] [--envelopes 40] [--runs 3]
"""

import argparse
import os
import random
import sys
from decimal import Decimal

from scipy.optimize import linprog

from fundflow.cofinancing.allocation import Need, Pot, allocate, funded_program
from fundflow.cofinancing.allocation_spread import fair_shares
from fundflow.cofinancing.rules import Target, cap_for, eligibility_violations
from fundflow.funders.models import Envelope

sys.path.insert(0, os.path.dirname(__file__))
from loading import side_by_side  # noqa: E402

COUNTRIES = ["MA", "SN", "ML", "BF", "PE", "BO", "CO", "XK", "MG", "HT", "CH"]


def generate(projects: int, envelopes: int, seed: int = 2027) -> tuple[list[Need], list[Pot]]:
    rng = random.Random(seed)
    pots, rows = [], []
    for i in range(envelopes):
        kind = rng.random()
        envelope = Envelope(
            id=i + 1,
            funder_id=i // 2 + 1,
            year=2027,
            amount=Decimal(rng.randrange(50_000, 600_000)),
            committed=Decimal(0),
            eligible_countries=rng.sample(COUNTRIES[:-1], 4) if kind < 0.2 else [],
            eligible_call_kinds=["cooperation"] if kind < 0.7 else [],
            use_abroad_only=0.2 <= kind < 0.4,
            max_share_per_project=Decimal("0.40") if rng.random() < 0.5 else None,
            max_amount_per_project=Decimal(rng.randrange(4_000, 12_000))
            if rng.random() < 0.3
            else None,
        )
        rows.append(envelope)
        pots.append(Pot(envelope.id or 0, envelope.funder_id, int(envelope.amount * 100)))
    needs = []
    for p in range(projects):
        granted = Decimal(rng.randrange(2_000, 15_000)) + Decimal(rng.randrange(100)) / 100
        target = Target(
            call_id=1,
            call_kind="cooperation",
            call_year=2027,
            country=rng.choice(COUNTRIES),
            granted=granted,
        )
        caps, refusals = {}, {}
        for envelope in rows:
            problems = eligibility_violations(envelope, target)
            for problem in problems:
                refusals[problem.rule] = refusals.get(problem.rule, 0) + 1
            if not problems:
                caps[envelope.id or 0] = int(cap_for(envelope, target) * 100)
        needs.append(Need(p + 1, p + 1, int(granted * 100), caps, refusals))
    return needs, pots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--envelopes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    needs, pots = generate(args.projects, args.envelopes)
    requested = sum(n.cents for n in needs) / 100
    available = sum(p.cents for p in pots) / 100
    plan = allocate(needs, pots)
    funded = plan.funded
    for need in needs:  # every funded project exactly, no envelope over its amount
        if need.project_id in funded:
            assert (
                sum(c for (p, _), c in plan.amounts.items() if p == need.project_id) == need.cents
            )
    for pot in pots:
        assert sum(c for (_, e), c in plan.amounts.items() if e == pot.envelope_id) <= pot.cents
    print(
        f"{args.projects} projects (CHF {requested:,.0f} asked) over {args.envelopes} "
        f"envelopes (CHF {available:,.0f}): funded {len(funded)}, unfunded "
        f"{len(plan.unfunded)}"
    )
    kept = [need for need in needs if need.project_id in funded]
    shares = fair_shares(kept, pots)
    loads: dict[int, int] = {}
    funder_of = {pot.envelope_id: pot.funder_id for pot in pots}
    for (_, envelope_id), cents in plan.amounts.items():
        loads[funder_of[envelope_id]] = loads.get(funder_of[envelope_id], 0) + cents
    gap = sum(abs(loads.get(f, 0) - share) for f, share in shares.items()) / 100
    print(f"distance from the funders' fair shares: CHF {gap:,.2f} in all")
    program = funded_program(needs, pots)
    side_by_side(
        f"allocate(), {args.runs} runs",
        lambda: allocate(needs, pots),
        lambda: linprog(**program, method="highs"),
        runs=args.runs,
        target_ratio=3,
        budget_ms=2000,
    )


if __name__ == "__main__":
    main()
