"""Totals and shares derived from a proposal's budget and financing plan (never stored)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.selectable import ScalarSelect
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
    return figures_of(
        (line.amount for line in proposal.budget_lines),
        ((line.source, line.amount) for line in proposal.financing_lines),
    )


def figures_of(
    budget_amounts: Iterable[Decimal], financing: Iterable[tuple[str, Decimal]]
) -> Figures:
    """The figures of a budget's amounts and a financing plan's (source, amount) lines."""
    lines = list(financing)
    return Figures(
        total_budget=sum(budget_amounts, ZERO),
        total_financing=sum((amount for _, amount in lines), ZERO),
        requested_amount=sum(
            (amount for source, amount in lines if source == FinancingSource.REQUESTED), ZERO
        ),
        own_funds=sum(
            (amount for source, amount in lines if source == FinancingSource.OWN_FUNDS), ZERO
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


def requested_amount_column() -> ScalarSelect[Any]:
    """A proposal's ``requested_amount`` as a column of a statement that reads proposals
    (NULL when it requests nothing)."""
    return (
        sa.select(sa.func.sum(col(FinancingLine.amount)))
        .where(
            col(FinancingLine.proposal_id) == col(Proposal.id),
            col(FinancingLine.source) == FinancingSource.REQUESTED,
        )
        .scalar_subquery()
    )
