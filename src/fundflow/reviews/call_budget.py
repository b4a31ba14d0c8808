"""What a call's ranking can fund: its envelopes' money in the call's currency, less what
its approved projects were already granted."""

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.cofinancing.models import ACTIVE, Commitment
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import RuleViolation
from fundflow.core.money import ZERO, converted_to_cents
from fundflow.funders import rates
from fundflow.funders.service import envelopes_for_call
from fundflow.projects.models import Project


def call_budget(session: Session, call: Call) -> tuple[Decimal, Decimal]:
    """Amount and committed of the envelopes that can fund the call, in the call's
    currency: an envelope in another currency at today's rate, or left out of this
    estimate while its currency has no rate (a commitment from it would be refused)."""
    amount = committed = ZERO
    to_call = rates.ToCurrency(session, call.currency, utcnow().date())
    for envelope in envelopes_for_call(session, call):
        try:
            amount += to_call.exactly(envelope.amount, envelope.currency)
            committed += to_call.exactly(envelope.committed, envelope.currency)
        except RuleViolation:
            continue
    return converted_to_cents(amount), converted_to_cents(committed)


def granted_not_committed(session: Session, call: Call) -> Decimal:
    """What the call's approved projects were granted and no commitment covers yet: money
    already promised, which the envelopes' committed amounts do not show."""
    covered = (
        sa.select(sa.func.coalesce(sa.func.sum(col(Commitment.amount)), 0))
        .where(
            col(Commitment.project_id) == col(Project.id),
            col(Commitment.status).in_(ACTIVE),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(col(Project.granted_amount), covered).where(col(Project.call_id) == call.id)
    ).all()
    return sum((max(granted - done, ZERO) for granted, done in rows), ZERO)
