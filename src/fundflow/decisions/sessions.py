"""Commission sessions: who sat, which proposals they decided, and the minutes."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.accounts.service import full_names
from fundflow.calls.models import Call
from fundflow.core.actor import Actor
from fundflow.core.errors import RuleViolation, Violation, not_found
from fundflow.core.formats import table_csv
from fundflow.core.messages import N_, Message
from fundflow.core.money import format_amount
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.transitions import record_event
from fundflow.decisions.models import CommissionSession, Decision, SessionMember
from fundflow.decisions.schemas import (
    MemberPresent,
    MinuteEntry,
    Minutes,
    SessionCreate,
    SessionPublic,
)
from fundflow.organisations.models import Organisation
from fundflow.proposals.models import Proposal
from fundflow.reviews.service import commission_members


def create_session(session: Session, *, actor: Actor, data: SessionCreate) -> CommissionSession:
    members = {m.id for m in commission_members(session)}
    strangers = sorted(set(data.members_present) - members)
    problems = []
    if strangers:
        problems.append(
            Violation(
                "members_present",
                Message(
                    N_("Not commission members: %(ids)s."),
                    {"ids": ", ".join(map(str, strangers))},
                ),
            )
        )
    if data.call_id is not None and session.get(Call, data.call_id) is None:
        problems.append(
            Violation(
                "call_exists", Message(N_("Call %(id)s does not exist."), {"id": data.call_id})
            )
        )
    if problems:
        raise RuleViolation.of("The session cannot be recorded.", problems)
    row = CommissionSession(
        held_on=data.held_on,
        title=data.title,
        call_id=data.call_id,
        location=data.location,
        members=[SessionMember(user_id=uid) for uid in dict.fromkeys(data.members_present)],
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    record_event(
        session, entity_type="commission_session", entity_id=row.id, action="create", actor=actor
    )
    return row


def get_session_row(session: Session, *, session_id: int) -> CommissionSession:
    row = session.get(CommissionSession, session_id)
    if row is None:
        raise not_found("Commission session", session_id)
    return row


def list_sessions(
    session: Session, *, page: PageParams, call_id: int | None = None
) -> tuple[Sequence[CommissionSession], str | None]:
    stmt = select(CommissionSession)
    if call_id is not None:
        stmt = stmt.where(col(CommissionSession.call_id) == call_id)
    return fetch_page(session, stmt, col(CommissionSession.id), page)


def next_sessions(
    session: Session, *, call_ids: Iterable[int], today: date
) -> dict[int, CommissionSession]:
    """Each call's next commission session (from ``today`` on): when its reviews are due."""
    ids = set(call_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(CommissionSession)
        .where(col(CommissionSession.call_id).in_(ids), col(CommissionSession.held_on) >= today)
        .order_by(col(CommissionSession.held_on).desc())
    ).all()
    # Latest first, so the earliest of each call is the one kept.
    return {row.call_id: row for row in rows if row.call_id is not None}


def sessions_public(session: Session, rows: Sequence[CommissionSession]) -> list[SessionPublic]:
    """Serialise sessions with one query for the members' names whatever their number."""
    names = full_names(session, (m.user_id for row in rows for m in row.members))
    return [
        SessionPublic(
            id=row.id or 0,
            held_on=row.held_on,
            title=row.title,
            call_id=row.call_id,
            location=row.location,
            members_present=[
                MemberPresent(user_id=m.user_id, full_name=names.get(m.user_id, ""))
                for m in row.members
            ],
        )
        for row in rows
    ]


def session_public(session: Session, row: CommissionSession) -> SessionPublic:
    return sessions_public(session, [row])[0]


def minutes(session: Session, *, row: CommissionSession) -> Minutes:
    decisions = session.execute(
        sa.select(
            Decision,
            col(Proposal.title),
            col(Proposal.organisation_id),
            col(Organisation.name),
            col(Call.currency),
        )
        .join(Proposal, col(Proposal.id) == col(Decision.proposal_id))
        .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .where(col(Decision.session_id) == row.id)
        .order_by(col(Decision.decided_at), col(Decision.id))
    ).all()
    return Minutes(
        session=session_public(session, row),
        decisions=[
            MinuteEntry(
                proposal_id=d.proposal_id,
                title=title,
                organisation_id=org_id,
                organisation=org,
                currency=currency,
                requested_amount=d.requested_amount,
                score=Decimal(d.scores["score"]) if d.scores.get("score") else None,
                outcome=d.outcome,
                granted_amount=d.granted_amount,
                conditions=[c.text for c in d.conditions],
                rationale=d.rationale,
                decided_at=d.decided_at,
            )
            for d, title, org_id, org, currency in decisions
        ],
    )


def minutes_csv(result: Minutes) -> str:
    return table_csv(
        [
            "proposal_id",
            "title",
            "organisation",
            "currency",
            "requested_amount",
            "score",
            "outcome",
            "granted_amount",
            "conditions",
            "rationale",
            "decided_at",
        ],
        (
            [
                d.proposal_id,
                d.title,
                d.organisation,
                d.currency,
                format_amount(d.requested_amount),
                d.score if d.score is not None else "",
                d.outcome,
                format_amount(d.granted_amount) if d.granted_amount is not None else "",
                " | ".join(d.conditions),
                d.rationale,
                d.decided_at.isoformat(),
            ]
            for d in result.decisions
        ),
    )
