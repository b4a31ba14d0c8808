"""Totals and shares derived from a proposal's budget and financing plan (never stored)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col

from fundflow.core.money import ZERO
from fundflow.core.queries import sums_by
from fundflow.proposals.models import FinancingLine, FinancingSource, Proposal

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Figures:
    total_budget: Decimal
    total_financing: Decimal
    requested_amount: Decimal
    own_funds: Decimal

    def share_of_budget(self, amount: Decimal) -> Decimal | None:
        if self.total_budget == 0:
            return None
        return (amount / self.total_budget).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)

    @property
    def requested_share(self) -> Decimal | None:
        return self.share_of_budget(self.requested_amount)

    @property
    def own_share(self) -> Decimal | None:
        return self.share_of_budget(self.own_funds)


def figures(proposal: Proposal) -> Figures:
    financing = proposal.financing_lines
    return Figures(
        total_budget=sum((line.amount for line in proposal.budget_lines), ZERO),
        total_financing=sum((line.amount for line in financing), ZERO),
        requested_amount=sum(
            (line.amount for line in financing if line.source == FinancingSource.REQUESTED), ZERO
        ),
        own_funds=sum(
            (line.amount for line in financing if line.source == FinancingSource.OWN_FUNDS), ZERO
        ),
    )


def requested_amounts(session: Session, proposal_ids: Iterable[int]) -> dict[int, Decimal]:
    """``requested_amount`` of many proposals without loading them: one grouped query."""
    return sums_by(
        session,
        col(FinancingLine.proposal_id),
        col(FinancingLine.amount),
        col(FinancingLine.proposal_id).in_(list(proposal_ids)),
        col(FinancingLine.source) == FinancingSource.REQUESTED,
    )
