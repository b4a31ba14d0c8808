"""Paying tranches: each payment split across the funders' confirmed commitments, pro rata
and to the cent, so that every funder's `disbursed` is exact when the last tranche is paid."""

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.cofinancing import policies
from fundflow.cofinancing.agreement import ZERO
from fundflow.cofinancing.models import (
    Commitment,
    CommitmentStatus,
    Disbursement,
    DisbursementShare,
    Tranche,
    TrancheStatus,
)
from fundflow.cofinancing.schemas import (
    DisbursementCreate,
    DisbursementPublic,
    DisbursementSharePublic,
    FunderLedger,
    Ledger,
    TranchePublic,
)
from fundflow.core.actor import Actor
from fundflow.core.errors import RuleViolation, Violation
from fundflow.core.messages import N_, Message
from fundflow.core.money import converted_to_cents, split_to_cents
from fundflow.core.transitions import record_event
from fundflow.funders.models import Envelope, Funder
from fundflow.projects.models import Project, ProjectStatus

PAYABLE = (ProjectStatus.ACTIVE, ProjectStatus.FINAL_REPORTING)


def tranches_of(session: Session, project: Project) -> list[TranchePublic]:
    rows = session.exec(
        select(Tranche).where(Tranche.project_id == project.id).order_by(col(Tranche.position))
    ).all()
    return [
        TranchePublic(
            id=t.id or 0,
            share=t.share,
            amount=t.amount,
            on=t.condition,
            status=t.status,
            due_since=t.due_since,
        )
        for t in rows
    ]


def shares_of(
    commitments: list[Commitment], paid_before: Decimal, payment: Decimal
) -> list[Decimal]:
    """Each commitment's part of ``payment``: the cumulative amount paid so far is split pro
    rata to the cent, and each part is that target minus what the commitment already paid."""
    targets = split_to_cents(paid_before + payment, [c.amount for c in commitments])
    return [target - c.disbursed for target, c in zip(targets, commitments, strict=True)]


def funder_part(commitment: Commitment, part: Decimal) -> Decimal:
    """``part`` (in the project's currency) in the commitment's own currency, at the
    commitment's rate: the cumulative amount paid converted, minus what was paid before,
    so that the last payment makes ``funder_disbursed`` exactly ``funder_amount``."""
    if commitment.funder_amount == commitment.amount:
        return part
    paid = commitment.disbursed + part
    cumulative = converted_to_cents(commitment.funder_amount * paid / commitment.amount)
    return cumulative - commitment.funder_disbursed


def record_disbursement(
    session: Session, *, actor: Actor, project: Project, data: DisbursementCreate
) -> Disbursement:
    policies.require_paymaster(actor)
    tranche = session.exec(
        select(Tranche)
        .where(Tranche.id == data.tranche_id, Tranche.project_id == project.id)
        .with_for_update()
    ).first()
    problems = []
    if tranche is None:
        problems.append(
            Violation(
                "tranche_exists",
                Message(
                    N_("Tranche %(id)s is not one of this project's."), {"id": data.tranche_id}
                ),
            )
        )
    elif tranche.status != TrancheStatus.DUE:
        problems.append(
            Violation(
                "tranche_due",
                Message(
                    N_("The tranche is %(state)s: only a due tranche is paid."),
                    {"state": str(tranche.status)},
                ),
            )
        )
    if project.status not in PAYABLE:
        problems.append(
            Violation(
                "project_active",
                Message(
                    N_("Nothing is paid to a project that is %(state)s."),
                    {"state": str(project.status)},
                ),
            )
        )
    if problems:
        raise RuleViolation.of("The disbursement cannot be recorded.", problems)
    assert tranche is not None and project.id is not None
    commitments = list(
        session.exec(
            select(Commitment)
            .where(
                Commitment.project_id == project.id, Commitment.status == CommitmentStatus.CONFIRMED
            )
            .order_by(col(Commitment.id))
            .with_for_update()
        ).all()
    )
    paid_before = sum((c.disbursed for c in commitments), ZERO)
    parts = shares_of(commitments, paid_before, tranche.amount)
    disbursement = Disbursement(
        project_id=project.id,
        tranche_id=tranche.id or 0,
        amount=tranche.amount,
        paid_on=data.paid_on,
        reference=data.reference,
        created_by_id=actor.id,
    )
    session.add(disbursement)
    session.flush()
    for commitment, part in zip(commitments, parts, strict=True):
        paid_by_funder = funder_part(commitment, part)
        session.add(
            DisbursementShare(
                disbursement_id=disbursement.id or 0,
                commitment_id=commitment.id or 0,
                amount=part,
                funder_amount=paid_by_funder,
            )
        )
        commitment.disbursed += part
        commitment.funder_disbursed += paid_by_funder
        session.add(commitment)
        session.execute(
            sa.update(Envelope)
            .where(col(Envelope.id) == commitment.envelope_id)
            .values(disbursed=col(Envelope.disbursed) + paid_by_funder)
            .execution_options(synchronize_session=False)
        )
    tranche.status = TrancheStatus.PAID
    session.add(tranche)
    session.flush()
    record_event(
        session,
        entity_type="project",
        entity_id=project.id,
        action="disburse",
        actor=actor,
        data={
            "tranche_id": tranche.id,
            "amount": tranche.amount,
            "reference": data.reference,
            "shares": {str(c.funder_id): str(p) for c, p in zip(commitments, parts, strict=True)},
        },
    )
    return disbursement


def disbursements_of(session: Session, project: Project) -> list[DisbursementPublic]:
    rows = session.exec(
        select(Disbursement)
        .where(Disbursement.project_id == project.id)
        .order_by(col(Disbursement.id))
    ).all()
    shares = (
        session.execute(
            sa.select(DisbursementShare, col(Commitment.funder_id), col(Commitment.funder_currency))
            .join(Commitment, col(Commitment.id) == col(DisbursementShare.commitment_id))
            .where(col(DisbursementShare.disbursement_id).in_([d.id for d in rows]))
            .order_by(col(DisbursementShare.id))
        ).all()
        if rows
        else []
    )
    by_disbursement: dict[int, list[DisbursementSharePublic]] = {}
    for share, funder_id, funder_currency in shares:
        by_disbursement.setdefault(share.disbursement_id, []).append(
            DisbursementSharePublic(
                commitment_id=share.commitment_id,
                funder_id=funder_id,
                amount=share.amount,
                funder_currency=funder_currency,
                funder_amount=share.funder_amount,
            )
        )
    return [
        DisbursementPublic(
            id=d.id or 0,
            project_id=d.project_id,
            tranche_id=d.tranche_id,
            amount=d.amount,
            paid_on=d.paid_on,
            reference=d.reference,
            shares=by_disbursement.get(d.id or 0, []),
        )
        for d in rows
    ]


def disbursement_public(
    session: Session, project: Project, disbursement: Disbursement
) -> DisbursementPublic:
    return next(d for d in disbursements_of(session, project) if d.id == disbursement.id)


def ledger(session: Session, project: Project, *, funder_rows: int | None = None) -> Ledger:
    """The project's money; with ``funder_rows`` (see ``policies.money_rows_of``) only that
    funder's commitments are itemised, the totals counting every funder's."""
    rows = session.execute(
        sa.select(Commitment, col(Funder.name))
        .join(Funder, col(Funder.id) == col(Commitment.funder_id))
        .where(col(Commitment.project_id) == project.id)
        .order_by(col(Commitment.id))
    ).all()
    funders = [
        FunderLedger(
            funder_id=c.funder_id,
            funder=name,
            envelope_id=c.envelope_id,
            commitment_id=c.id or 0,
            status=c.status,
            committed=c.amount,
            disbursed=c.disbursed,
            remaining=c.amount - c.disbursed,
            funder_currency=c.funder_currency,
            funder_committed=c.funder_amount,
            funder_disbursed=c.funder_disbursed,
            rate_used=c.rate_used,
        )
        for c, name in rows
        if funder_rows is None or c.funder_id == funder_rows
    ]
    confirmed = [c for c, _ in rows if c.status == CommitmentStatus.CONFIRMED]
    return Ledger(
        project_id=project.id or 0,
        currency=session.execute(
            sa.select(col(Call.currency)).where(col(Call.id) == project.call_id)
        ).scalar_one(),
        granted=project.granted_amount,
        confirmed=sum((c.amount for c in confirmed), ZERO),
        proposed=sum((c.amount for c, _ in rows if c.status == CommitmentStatus.PROPOSED), ZERO),
        disbursed=sum((c.disbursed for c, _ in rows), ZERO),
        funders=funders,
    )
