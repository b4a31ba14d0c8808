"""Splitting money to the cent: tranches and pro rata disbursements, by hand."""

from decimal import Decimal as D

from fundflow.calls.rules import TranchePlanItem
from fundflow.cofinancing.agreement import tranche_amounts
from fundflow.cofinancing.disbursements import shares_of
from fundflow.cofinancing.models import Commitment
from fundflow.core.money import split_to_cents


def plan(*shares: str) -> list[TranchePlanItem]:
    return [TranchePlanItem(share=D(s), on="on_signature") for s in shares]


def test_awkward_grants_split_exactly():
    # 33,333.33 × 0.8 = 26,666.664 and × 0.2 = 6,666.666: the left-over cent goes to the
    # larger remainder.
    assert tranche_amounts(D("33333.33"), plan("0.80", "0.20")) == [D("26666.66"), D("6666.67")]
    assert tranche_amounts(D("100.00"), plan("0.3333", "0.3333", "0.3334")) == [
        D("33.33"),
        D("33.33"),
        D("33.34"),
    ]
    assert tranche_amounts(D("0.01"), plan("0.5", "0.5")) == [D("0.01"), D("0.00")]
    for grant in ("33333.33", "12345.67", "99999.99", "0.03"):
        parts = tranche_amounts(D(grant), plan("0.6", "0.25", "0.15"))
        assert sum(parts) == D(grant)


def test_split_to_cents_ties_go_to_the_first():
    assert split_to_cents(D("100.00"), [D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]


def commitment(amount: str, disbursed: str = "0.00") -> Commitment:
    return Commitment(
        project_id=1, envelope_id=1, funder_id=1, amount=D(amount), disbursed=D(disbursed)
    )


def test_pro_rata_shares_end_exactly_on_each_commitment():
    # Grant 33,333.33: funder A 20,000.00, funder B 13,333.33; tranches 26,666.66 + 6,666.67.
    a, b = commitment("20000.00"), commitment("13333.33")
    # First tranche: A gets 2,666,666 cents × 20,000/33,333.33 = 1,600,000.016 → 16,000.00;
    # B 1,066,665.984 → 10,666.65 + the left-over cent (larger remainder) = 10,666.66.
    first = shares_of([a, b], D("0.00"), D("26666.66"))
    assert first == [D("16000.00"), D("10666.66")]
    a.disbursed, b.disbursed = first
    # The last tranche brings each funder exactly to its commitment.
    second = shares_of([a, b], D("26666.66"), D("6666.67"))
    assert second == [D("4000.00"), D("2666.67")]
    assert (a.disbursed + second[0], b.disbursed + second[1]) == (D("20000.00"), D("13333.33"))
