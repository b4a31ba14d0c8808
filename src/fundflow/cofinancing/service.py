"""Commitments: a funder's share of a project, drawn from an envelope, never over it."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.cofinancing import policies
from fundflow.cofinancing.models import ACTIVE, Commitment, CommitmentStatus
from fundflow.cofinancing.rules import Target, amount_violations, eligibility_violations
from fundflow.cofinancing.schemas import CommitmentCreate
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, RuleViolation, Violation
from fundflow.core.messages import N_, Message
from fundflow.core.money import ZERO, format_amount
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible
from fundflow.core.transitions import record_event
from fundflow.core.workflow import TransitionContext
from fundflow.funders import rates
from fundflow.funders.models import Envelope, Funder
from fundflow.funders.rates import RateUsed
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.models import Proposal


def target_of(session: Session, project: Project) -> Target:
    proposal = session.get(Proposal, project.proposal_id)
    call = session.get(Call, project.call_id)
    assert proposal is not None and call is not None
    return Target(
        call_id=call.id or 0,
        call_kind=str(call.kind),
        call_year=call.year,
        country=proposal.country,
        granted=project.granted_amount,
        currency=call.currency,
    )


def active_total(
    session: Session,
    project_id: int,
    *,
    envelope_id: int | None = None,
    in_funder_currency: bool = False,
) -> Decimal:
    column = col(Commitment.funder_amount) if in_funder_currency else col(Commitment.amount)
    stmt = sa.select(sa.func.sum(column)).where(
        col(Commitment.project_id) == project_id, col(Commitment.status).in_(ACTIVE)
    )
    if envelope_id is not None:
        stmt = stmt.where(col(Commitment.envelope_id) == envelope_id)
    return session.execute(stmt).scalar_one() or ZERO


def _lock_project(session: Session, project: Project) -> None:
    """Serialise commitments of one project (PostgreSQL row lock; SQLite's writer lock)."""
    session.execute(
        sa.select(col(Project.id)).where(col(Project.id) == project.id).with_for_update()
    )


@dataclass(frozen=True)
class Amounts:
    """A commitment's amount in the project's currency and in the funder's, and the rate
    converted with (none in one currency)."""

    amount: Decimal
    funder_amount: Decimal
    used: RateUsed | None
    on: date


def amounts_of(
    session: Session, data: CommitmentCreate, *, currency: str, funder_currency: str
) -> Amounts:
    """The amount given, and the other converted at the day's rate (422 without one)."""
    today = utcnow().date()
    if data.amount is not None:
        conversion = rates.convert(
            session, amount=data.amount, currency=currency, to_currency=funder_currency, on=today
        )
        return Amounts(data.amount, conversion.converted, conversion.used, today)
    assert data.funder_amount is not None
    conversion = rates.convert(
        session, amount=data.funder_amount, currency=funder_currency, to_currency=currency, on=today
    )
    return Amounts(conversion.converted, data.funder_amount, conversion.used, today)


def reserve(session: Session, envelope: Envelope, amount: Decimal) -> bool:
    """Add to the envelope's committed amount only if it fits, in one atomic statement:
    parallel commitments can never over-commit it (a check constraint backs this)."""
    result = session.execute(
        sa.update(Envelope)
        .where(
            col(Envelope.id) == envelope.id,
            col(Envelope.committed) + amount <= col(Envelope.amount),
        )
        .values(committed=col(Envelope.committed) + amount)
        .execution_options(synchronize_session=False)
    )
    session.expire(envelope, ["committed"])
    return result.rowcount == 1  # type: ignore[attr-defined]


def release(session: Session, commitment: Commitment) -> None:
    session.execute(
        sa.update(Envelope)
        .where(col(Envelope.id) == commitment.envelope_id)
        .values(committed=col(Envelope.committed) - commitment.funder_amount)
        .execution_options(synchronize_session=False)
    )


def create_commitment(
    session: Session, *, actor: Actor, project: Project, data: CommitmentCreate
) -> Commitment:
    policies.require_paymaster(actor)
    if project.status != ProjectStatus.CONTRACTING:
        raise Conflict(f"Commitments are made while contracting, not when {project.status}.")
    envelope = session.get(Envelope, data.envelope_id)
    if envelope is None:
        raise RuleViolation.of(
            "The commitment cannot be made.",
            [
                Violation(
                    "envelope_exists",
                    Message(N_("Envelope %(id)s does not exist."), {"id": data.envelope_id}),
                )
            ],
        )
    assert project.id is not None and envelope.id is not None
    _lock_project(session, project)
    target = target_of(session, project)
    given = amounts_of(session, data, currency=target.currency, funder_currency=envelope.currency)
    problems = eligibility_violations(envelope, target)
    problems += amount_violations(
        envelope,
        target,
        amount=given.amount,
        already=active_total(session, project.id, envelope_id=envelope.id),
        funder_amount=given.funder_amount,
        funder_already=active_total(
            session, project.id, envelope_id=envelope.id, in_funder_currency=True
        ),
    )
    remainder = project.granted_amount - active_total(session, project.id)
    if given.amount > remainder:
        problems.append(
            Violation(
                "project_remainder",
                Message(
                    N_("Only %(remainder)s of the grant is still uncommitted."),
                    {"remainder": format_amount(remainder)},
                ),
            )
        )
    if problems:
        raise RuleViolation.of("The commitment breaks a rule.", problems)
    if not reserve(session, envelope, given.funder_amount):
        session.refresh(envelope)
        raise RuleViolation.of(
            "The envelope cannot cover the commitment.",
            [
                Violation(
                    "envelope_available",
                    Message(
                        N_("The envelope has %(available)s available, less than %(amount)s."),
                        {
                            "available": format_amount(envelope.amount - envelope.committed),
                            "amount": format_amount(given.funder_amount),
                        },
                    ),
                )
            ],
        )
    commitment = Commitment(
        project_id=project.id,
        envelope_id=envelope.id,
        funder_id=envelope.funder_id,
        amount=given.amount,
        funder_currency=envelope.currency,
        funder_amount=given.funder_amount,
        created_by_id=actor.id,
    )
    if given.used is not None:
        used = given.used
        commitment.rate_id, commitment.rate_valid_from = used.id, used.valid_from
        commitment.rate_base, commitment.rate_quote = used.base, used.quote
        commitment.rate, commitment.rate_source = used.rate, used.source
        commitment.converted_on = given.on
    session.add(commitment)
    session.flush()
    assert commitment.id is not None
    record_event(
        session,
        entity_type="commitment",
        entity_id=commitment.id,
        action="propose",
        actor=actor,
        data={
            "project_id": project.id,
            "envelope_id": envelope.id,
            "amount": given.amount,
            "funder_amount": given.funder_amount,
            "funder_currency": envelope.currency,
            "rate_id": given.used.id if given.used else None,
        },
    )
    return commitment


def get_commitment(session: Session, *, actor: Actor, commitment_id: int) -> Commitment:
    return get_visible(
        session, Commitment, commitment_id, policies.commitment_visibility(actor), "Commitment"
    )


def list_commitments(
    session: Session, *, actor: Actor, project: Project, page: PageParams
) -> tuple[Sequence[Commitment], str | None]:
    stmt = select(Commitment).where(
        col(Commitment.project_id) == project.id, policies.commitment_visibility(actor)
    )
    return fetch_page(session, stmt, Commitment.id, page)


# --- guards and effects of the commitment machine ---------------------------------------


def release_envelope(ctx: TransitionContext[Commitment]) -> None:
    release(ctx.session, ctx.entity)


def nothing_disbursed(ctx: TransitionContext[Commitment]) -> Iterator[Violation]:
    if ctx.entity.disbursed > 0:
        yield Violation(
            "disbursed",
            Message(
                N_("%(paid)s has already been paid from this commitment."),
                {"paid": format_amount(ctx.entity.disbursed)},
            ),
        )


def project_not_signed(ctx: TransitionContext[Commitment]) -> Iterator[Violation]:
    project = ctx.session.get(Project, ctx.entity.project_id)
    assert project is not None
    if project.status not in (ProjectStatus.CONTRACTING, ProjectStatus.TERMINATED):
        yield Violation(
            "project_signed",
            Message(
                N_("The agreement is signed (project %(state)s): its funding cannot change."),
                {"state": str(project.status)},
            ),
        )


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    project_title: str
    funder: str
    # The project's (its call's): the commitment's ``amount`` is in it.
    currency: str


def commitments_across(
    session: Session, *, actor: Actor, call_id: int | None = None, limit: int = 500
) -> list[CommitmentRow]:
    """The commitments the caller sees across projects (one call's, or all), with their
    project and funder named, the ones awaiting confirmation first; one statement."""
    waiting_first = sa.case((col(Commitment.status) == CommitmentStatus.PROPOSED, 0), else_=1)
    stmt = (
        sa.select(Commitment, col(Project.title), col(Funder.name), col(Call.currency))
        .join(Project, col(Project.id) == col(Commitment.project_id))
        .join(Call, col(Call.id) == col(Project.call_id))
        .join(Funder, col(Funder.id) == col(Commitment.funder_id))
        .where(policies.commitment_visibility(actor))
        .order_by(waiting_first, col(Funder.name), col(Commitment.id))
        .limit(limit)
    )
    if call_id is not None:
        stmt = stmt.where(col(Project.call_id) == call_id)
    return [CommitmentRow(*row) for row in session.execute(stmt).all()]
