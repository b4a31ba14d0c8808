"""The money invariants, checked against the database (`fundflow check`)."""

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call
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
    found += _commitments_in_their_currencies(session)
    # An envelope is in its funder's currency: what its commitments reserve and pay is
    # counted in that currency.
    reserved = sums_by(
        session,
        col(Commitment.envelope_id),
        col(Commitment.funder_amount),
        col(Commitment.status).in_(ACTIVE),
    )
    paid = sums_by(session, col(Commitment.envelope_id), col(Commitment.funder_disbursed))
    for envelope in session.execute(sa.select(Envelope).execution_options(**fresh)).scalars():
        eid = envelope.id or 0
        cur = envelope.currency
        if envelope.committed > envelope.amount:
            found.append(
                f"envelope {eid}: committed {cur} {format_amount(envelope.committed)} > "
                f"amount {cur} {format_amount(envelope.amount)}"
            )
        if envelope.committed != reserved.get(eid, ZERO):
            found.append(
                f"envelope {eid}: committed {cur} {format_amount(envelope.committed)} but "
                f"its commitments add up to {cur} {format_amount(reserved.get(eid, ZERO))}"
            )
        if envelope.disbursed != paid.get(eid, ZERO):
            found.append(
                f"envelope {eid}: disbursed {cur} {format_amount(envelope.disbursed)} but "
                f"its commitments paid {cur} {format_amount(paid.get(eid, ZERO))}"
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


def _commitments_in_their_currencies(session: Session) -> list[str]:
    """Each commitment holds in both its currencies: nothing paid beyond what was
    committed, its payments' shares add up to what it paid, in each; its funder's currency
    is its envelope's; and an amount converted has the rate it was converted with."""
    found: list[str] = []
    paid = {
        commitment_id: (amount or ZERO, funder_amount or ZERO)
        for commitment_id, amount, funder_amount in session.execute(
            sa.select(
                col(DisbursementShare.commitment_id),
                sa.func.sum(col(DisbursementShare.amount)),
                sa.func.sum(col(DisbursementShare.funder_amount)),
            ).group_by(col(DisbursementShare.commitment_id))
        ).all()
    }
    rows = session.execute(
        sa.select(Commitment, col(Call.currency), col(Envelope.currency))
        .join(Project, col(Project.id) == col(Commitment.project_id))
        .join(Call, col(Call.id) == col(Project.call_id))
        .join(Envelope, col(Envelope.id) == col(Commitment.envelope_id))
        .execution_options(populate_existing=True)
    ).all()
    for commitment, currency, envelope_currency in rows:
        cid, funder_currency = commitment.id or 0, commitment.funder_currency
        for cur, disbursed, committed in (
            (currency, commitment.disbursed, commitment.amount),
            (funder_currency, commitment.funder_disbursed, commitment.funder_amount),
        ):
            if disbursed > committed:
                found.append(
                    f"commitment {cid}: disbursed {cur} {format_amount(disbursed)} > "
                    f"committed {cur} {format_amount(committed)}"
                )
        shares, funder_shares = paid.get(cid, (ZERO, ZERO))
        if (shares, funder_shares) != (commitment.disbursed, commitment.funder_disbursed):
            found.append(
                f"commitment {cid}: paid {currency} {format_amount(commitment.disbursed)} / "
                f"{funder_currency} {format_amount(commitment.funder_disbursed)} but its "
                f"payments' shares add up to {currency} {format_amount(shares)} / "
                f"{funder_currency} {format_amount(funder_shares)}"
            )
        if funder_currency != envelope_currency:
            found.append(
                f"commitment {cid}: in {funder_currency}, its envelope in {envelope_currency}"
            )
        converted = funder_currency != currency
        if converted and (commitment.rate is None or commitment.converted_on is None):
            found.append(
                f"commitment {cid}: {currency} converted to {funder_currency} without "
                "the rate it was converted with"
            )
        if not converted and commitment.funder_amount != commitment.amount:
            found.append(
                f"commitment {cid}: {currency} {format_amount(commitment.amount)} and "
                f"{funder_currency} {format_amount(commitment.funder_amount)} differ in "
                "one currency"
            )
    return found
