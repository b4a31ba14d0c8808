"""The optimizer on small cases whose optimum is known by hand (amounts in cents)."""

import pytest

from fundflow.cofinancing.allocation import Need, PlanTooLarge, Pot, allocate

A, B = 1, 2  # envelopes
F1, F2 = 10, 20  # funders


def test_rank_order_greedy_fill_would_leave_a_project_out():
    # P1 (rank 1, abroad) may use A or B; P2 (rank 2, in Switzerland) only B. Filling P1
    # from B first leaves P2 with nothing; the optimum puts P1 on A and P2 on B.
    needs = [Need(1, 1, 10000, {B: 10000, A: 10000}), Need(2, 2, 10000, {B: 10000})]
    plan = allocate(needs, [Pot(A, F1, 10000), Pot(B, F2, 10000)])
    assert plan.amounts == {(1, A): 10000, (2, B): 10000}
    assert plan.unfunded == []


def test_higher_rank_comes_first_even_if_two_smaller_ones_would_fit():
    needs = [
        Need(1, 1, 15000, {A: 15000}),
        Need(2, 2, 10000, {A: 10000}),
        Need(3, 3, 10000, {A: 10000}),
    ]
    plan = allocate(needs, [Pot(A, F1, 20000)])
    assert plan.amounts == {(1, A): 15000}
    assert [(u.project_id, u.rule) for u in plan.unfunded] == [(2, "shortfall"), (3, "shortfall")]
    assert "it needs 100.00" in plan.unfunded[0].reason


def test_a_smaller_project_lower_down_still_gets_what_is_left():
    needs = [
        Need(1, 1, 15000, {A: 15000}),
        Need(2, 2, 10000, {A: 10000}),
        Need(3, 3, 5000, {A: 5000}),
    ]
    plan = allocate(needs, [Pot(A, F1, 20000)])
    assert plan.amounts == {(1, A): 15000, (3, A): 5000}
    assert [u.project_id for u in plan.unfunded] == [2]


def test_load_is_spread_in_proportion_to_the_envelopes():
    # 300 and 100 available: a 200 project is funded 150 / 50.
    plan = allocate(
        [Need(1, 1, 20000, {A: 20000, B: 20000})], [Pot(A, F1, 30000), Pot(B, F2, 10000)]
    )
    assert plan.amounts == {(1, A): 15000, (1, B): 5000}


def test_amounts_are_exact_to_the_cent():
    plan = allocate(
        [Need(1, 1, 10001, {A: 10001, B: 10001}), Need(2, 2, 3333, {A: 3333, B: 3333})],
        [Pot(A, F1, 30000), Pot(B, F2, 10000)],
    )
    per_project = {1: 0, 2: 0}
    for (project, _), cents in plan.amounts.items():
        per_project[project] += cents
    assert per_project == {1: 10001, 2: 3333}
    assert sum(c for (_, e), c in plan.amounts.items() if e == B) <= 10000


def test_caps_and_missing_envelopes_are_explained():
    needs = [
        Need(1, 1, 10000, {A: 4000, B: 4000}),
        Need(2, 2, 5000, {}, refusals={"use_abroad_only": 1, "eligible_countries": 1}),
    ]
    plan = allocate(needs, [Pot(A, F1, 50000), Pot(B, F2, 50000)])
    assert plan.amounts == {}
    first, second = plan.unfunded
    assert (first.rule, second.rule) == ("envelope_caps", "no_eligible_envelope")
    assert "allow 80.00; it needs 100.00" in first.reason
    assert "eligible_countries (1), use_abroad_only (1)" in second.reason


def test_money_elsewhere_does_not_help_a_project_that_cannot_use_it():
    # 300 left in total, but P2 may only use A (taken by P1, who has no other choice) and B.
    C = 3
    needs = [
        Need(1, 1, 10000, {A: 10000}),
        Need(2, 2, 15000, {A: 15000, B: 15000}),
        Need(3, 3, 10000, {C: 10000}),
    ]
    plan = allocate(needs, [Pot(A, F1, 10000), Pot(B, F2, 10000), Pot(C, F2, 10000)])
    assert plan.amounts == {(1, A): 10000, (3, C): 10000}
    assert [(u.project_id, u.rule) for u in plan.unfunded] == [(2, "shortfall")]
    assert "about 100.00 is left there; it needs 150.00" in plan.unfunded[0].reason


def test_an_envelope_of_any_size_is_planned():
    # 1,000 billion cents: far beyond the solver's 32-bit capacities, yet only what the
    # projects ask for can flow through it.
    huge = 10**14
    plan = allocate(
        [Need(1, 1, 2_000_000, {A: huge, B: huge})], [Pot(A, F1, huge), Pot(B, F2, huge)]
    )
    assert sum(plan.amounts.values()) == 2_000_000
    assert plan.amounts == {(1, A): 1_000_000, (1, B): 1_000_000}


def test_requests_beyond_the_planner_s_range_are_refused_plainly():
    with pytest.raises(PlanTooLarge, match="ask for"):
        allocate([Need(1, 1, 2**31, {A: 2**31})], [Pot(A, F1, 2**31)])


def test_a_share_the_rules_make_unreachable_is_come_as_close_to_as_they_allow():
    # Fair shares are 50 / 50, but B may give this project at most 20: the flow capping each
    # funder at its share cannot fund it, and the linear programme spreads 80 / 20.
    plan = allocate(
        [Need(1, 1, 10000, {A: 10000, B: 2000})], [Pot(A, F1, 10000), Pot(B, F2, 10000)]
    )
    assert plan.amounts == {(1, A): 8000, (1, B): 2000}


def test_fair_shares_reached_by_the_flow_leave_no_cent_over_a_share():
    # Three funders with 1/3 each of the money, three projects any of them may fund.
    pots = [Pot(A, F1, 30000), Pot(B, F2, 30000), Pot(3, 30, 30000)]
    needs = [Need(p, p, 10001, {A: 10001, B: 10001, 3: 10001}) for p in (1, 2, 3)]
    plan = allocate(needs, pots)
    loads = {A: 0, B: 0, 3: 0}
    for (_, envelope), cents in plan.amounts.items():
        loads[envelope] += cents
    assert sum(loads.values()) == 30003
    assert sorted(loads.values()) == [10001, 10001, 10001]
