"""The secretariat's list of proposals: one page of rows built straight from one joined
statement (the association and the call named, the amount requested summed in the
database), and the number in each state for the same filters in a second — two statements
whatever the number of proposals, where an ORM page would load each proposal's parts."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.core.actor import Actor
from fundflow.organisations.models import Organisation
from fundflow.proposals import policies
from fundflow.proposals.figures import requested_amount_column
from fundflow.proposals.models import Proposal, ProposalStatus

PAGE = 50


@dataclass(frozen=True)
class WorklistRow:
    id: int
    title: str
    status: str
    country: str | None
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    organisation: str
    call_id: int
    call_title: str
    requested_amount: Decimal | None
    # The call's: the amount is in it.
    currency: str

    @property
    def reference(self) -> str:
        return f"{self.created_at:%Y}-{self.id:05d}"


@dataclass(frozen=True)
class Worklist:
    rows: list[WorklistRow]
    # The id to continue after (newest first), or None on the last page.
    next_after: int | None
    by_status: dict[str, int]


def _filtered(
    actor: Actor, call_id: int | None, search: str | None
) -> list[sa.ColumnElement[bool]]:
    where = [policies.proposal_visibility(actor)]
    if call_id is not None:
        where.append(col(Proposal.call_id) == call_id)
    if search:
        words = search.strip()
        if words.isdigit():
            where.append(col(Proposal.id) == int(words))
        else:
            where.append(
                sa.or_(
                    col(Proposal.title).icontains(words, autoescape=True),
                    col(Proposal.organisation_id).in_(
                        sa.select(col(Organisation.id)).where(
                            col(Organisation.name).icontains(words, autoescape=True)
                        )
                    ),
                )
            )
    return where


def worklist(
    session: Session,
    *,
    actor: Actor,
    call_id: int | None = None,
    status: ProposalStatus | None = None,
    search: str | None = None,
    after: int | None = None,
    limit: int = PAGE,
) -> Worklist:
    where = _filtered(actor, call_id, search)
    page_where = list(where)
    if status is not None:
        page_where.append(col(Proposal.status) == status)
    if after is not None:
        page_where.append(col(Proposal.id) < after)
    statement = (
        sa.select(
            col(Proposal.id),
            col(Proposal.title),
            col(Proposal.status),
            col(Proposal.country),
            col(Proposal.created_at),
            col(Proposal.submitted_at),
            col(Proposal.updated_at),
            col(Organisation.name),
            col(Call.id),
            col(Call.title),
            requested_amount_column(),
            col(Call.currency),
        )
        .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .where(*page_where)
        .order_by(col(Proposal.id).desc())
        .limit(limit + 1)
    )
    rows = [WorklistRow(*row) for row in session.execute(statement).all()]
    counts = session.execute(
        sa.select(col(Proposal.status), sa.func.count())
        .where(*where)
        .group_by(col(Proposal.status))
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Worklist(
        rows=rows,
        next_after=rows[-1].id if more else None,
        by_status={str(state): count for state, count in counts},
    )
