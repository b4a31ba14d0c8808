"""The money invariants, checked against the database (`fundflow check`)."""

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.cofinancing.models import (
    Commitment,
    CommitmentStatus,
    Disbursement,
    DisbursementShare,
    Tranche,
    TrancheStatus,
)
from fundflow.core.money import ZERO, format_amount
from fundflow.core.queries import sums_by
from fundflow.funders.models import Envelope
from fundflow.projects.models import Project, ProjectStatus

SIGNED = (
    ProjectStatus.ACTIVE,
    ProjectStatus.SUSPENDED,
    ProjectStatus.FINAL_REPORTING,
    ProjectStatus.CLOSED,
)
ACTIVE = (CommitmentStatus.PROPOSED, CommitmentStatus.CONFIRMED)


def violations(session: Session) -> list[str]:
    """Every broken money invariant, explained; empty when the books are right."""
    found: list[str] = []
    # populate_existing: the check reads the database, not objects a session holds.
    fresh = {"populate_existing": True}
    confirmed = sums_by(
        session,
        col(Commitment.project_id),
        col(Commitment.amount),
        col(Commitment.status) == CommitmentStatus.CONFIRMED,
    )
    for project in session.execute(
        sa.select(Project).where(col(Project.status).in_(SIGNED)).execution_options(**fresh)
    ).scalars():
        total = confirmed.get(project.id or 0, ZERO)
        if total != project.granted_amount:
            found.append(
                f"project {project.id}: confirmed commitments {format_amount(total)} "
                f"!= granted {format_amount(project.granted_amount)}"
            )
    for commitment in session.execute(
        sa.select(Commitment)
        .where(col(Commitment.disbursed) > col(Commitment.amount))
        .execution_options(**fresh)
    ).scalars():
        found.append(
            f"commitment {commitment.id}: disbursed "
            f"{format_amount(commitment.disbursed)} > committed "
            f"{format_amount(commitment.amount)}"
        )
    reserved = sums_by(
        session,
        col(Commitment.envelope_id),
        col(Commitment.amount),
        col(Commitment.status).in_(ACTIVE),
    )
    paid = sums_by(session, col(Commitment.envelope_id), col(Commitment.disbursed))
    for envelope in session.execute(sa.select(Envelope).execution_options(**fresh)).scalars():
        eid = envelope.id or 0
        if envelope.committed > envelope.amount:
            found.append(
                f"envelope {eid}: committed {format_amount(envelope.committed)} > "
                f"amount {format_amount(envelope.amount)}"
            )
        if envelope.committed != reserved.get(eid, ZERO):
            found.append(
                f"envelope {eid}: committed {format_amount(envelope.committed)} but "
                f"its commitments add up to {format_amount(reserved.get(eid, ZERO))}"
            )
        if envelope.disbursed != paid.get(eid, ZERO):
            found.append(
                f"envelope {eid}: disbursed {format_amount(envelope.disbursed)} but its "
                f"commitments paid {format_amount(paid.get(eid, ZERO))}"
            )
    shared = sums_by(session, col(DisbursementShare.disbursement_id), col(DisbursementShare.amount))
    for disbursement in session.execute(
        sa.select(Disbursement).execution_options(**fresh)
    ).scalars():
        if shared.get(disbursement.id or 0, ZERO) != disbursement.amount:
            found.append(
                f"disbursement {disbursement.id}: shares add up to "
                f"{format_amount(shared.get(disbursement.id or 0, ZERO))}, not "
                f"{format_amount(disbursement.amount)}"
            )
    tranches_paid = sums_by(
        session,
        col(Tranche.project_id),
        col(Tranche.amount),
        col(Tranche.status) == TrancheStatus.PAID,
    )
    disbursed = sums_by(session, col(Disbursement.project_id), col(Disbursement.amount))
    for project_id in set(tranches_paid) | set(disbursed):
        if tranches_paid.get(project_id, ZERO) != disbursed.get(project_id, ZERO):
            found.append(
                f"project {project_id}: paid tranches "
                f"{format_amount(tranches_paid.get(project_id, ZERO))} != disbursed "
                f"{format_amount(disbursed.get(project_id, ZERO))}"
            )
    return found
