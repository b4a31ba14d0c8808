"""The laureates of award rounds, for everyone.

Only nominations decided `awarded` in a round that is closed or archived (closing the round
is when the secretariat announces it): nothing of the other nominations, of who nominated
whom, of the jury's scores or of the nominee's e-mail leaves through here.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import Session, col

from fundflow.calls.models import Call, CallKind, CallStatus
from fundflow.calls.service import category_named
from fundflow.core.errors import not_found
from fundflow.core.inputs import Id
from fundflow.core.money import Amount
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.decisions.models import Decision, Outcome
from fundflow.proposals.models import NomineeKind, Proposal

ANNOUNCED = (CallStatus.CLOSED, CallStatus.ARCHIVED)


class PublicLaureate(BaseModel):
    id: Id = Field(description="The laureate's nomination: its certificate's number")
    round_id: Id
    round: str
    year: int
    category: str | None
    category_label: str | None
    category_label_en: str | None
    laureate: str
    laureate_kind: NomineeKind | None
    locality: str | None
    country: str | None
    citation: str
    amount: Amount = Field(description="The prize; 0.00 for an honourable mention")
    currency: str
    awarded_on: date


def _statement() -> sa.Select[Any]:
    return (
        sa.select(
            col(Proposal.id),
            col(Call.id).label("round_id"),
            col(Call.title).label("round"),
            col(Call.year),
            col(Call.categories),
            col(Proposal.category),
            col(Proposal.nominee_name).label("laureate"),
            col(Proposal.nominee_kind).label("laureate_kind"),
            col(Proposal.locality),
            col(Proposal.country),
            col(Decision.citation),
            col(Decision.granted_amount).label("amount"),
            col(Call.currency),
            col(Decision.decided_at),
        )
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .join(Decision, col(Decision.proposal_id) == col(Proposal.id))
        .where(
            col(Call.kind) == CallKind.AWARD,
            col(Call.status).in_(ANNOUNCED),
            col(Decision.outcome) == Outcome.AWARDED,
        )
    )


def _laureate(row: Any) -> PublicLaureate:
    values = dict(row._mapping)
    category = category_named(values.pop("categories"), values["category"])
    decided_at: datetime = values.pop("decided_at")
    return PublicLaureate.model_validate(
        {
            **values,
            "category_label": category.get("label"),
            "category_label_en": category.get("label_en"),
            "citation": values["citation"] or "",
            "amount": values["amount"] if values["amount"] is not None else Decimal("0"),
            "awarded_on": decided_at.date(),
        }
    )


def list_laureates(
    session: Session, *, page: PageParams, round_id: int | None = None, year: int | None = None
) -> tuple[list[PublicLaureate], str | None]:
    stmt = _statement()
    if round_id is not None:
        stmt = stmt.where(col(Call.id) == round_id)
    if year is not None:
        stmt = stmt.where(col(Call.year) == year)
    rows, cursor = fetch_page(session, stmt, col(Proposal.id), page, whole_rows=True)
    return [_laureate(row) for row in rows], cursor


def laureate(session: Session, laureate_id: int) -> PublicLaureate:
    row = session.execute(_statement().where(col(Proposal.id) == laureate_id)).first()
    if row is None:
        raise not_found("Laureate", laureate_id)
    return _laureate(row)


class AwardRound(BaseModel):
    id: Id
    title: str
    year: int
    description: str | None
    laureates: list[PublicLaureate]


def announced_rounds(session: Session, round_id: int | None = None) -> list[AwardRound]:
    """Every announced round (or the one ``round_id``) with its laureates, newest first:
    the public pages' content. Two statements whatever the number of rounds."""
    announced = sa.and_(col(Call.kind) == CallKind.AWARD, col(Call.status).in_(ANNOUNCED))
    laureates_of = _statement()
    if round_id is not None:
        announced = sa.and_(announced, col(Call.id) == round_id)
        laureates_of = laureates_of.where(col(Call.id) == round_id)
    calls = session.execute(
        sa.select(col(Call.id), col(Call.title), col(Call.year), col(Call.description))
        .where(announced)
        .order_by(col(Call.year).desc(), col(Call.id).desc())
    ).all()
    laureates: dict[int, list[PublicLaureate]] = {}
    for row in session.execute(
        laureates_of.order_by(col(Call.id), col(Decision.granted_amount).desc(), col(Proposal.id))
    ):
        item = _laureate(row)
        laureates.setdefault(item.round_id, []).append(item)
    return [
        AwardRound(
            id=call.id,
            title=call.title,
            year=call.year,
            description=call.description,
            laureates=laureates.get(call.id, []),
        )
        for call in calls
    ]
