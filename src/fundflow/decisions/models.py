from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.core.dbtypes import Money, created_at_field, enum_column, json_field, timestamp_field


class Outcome(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    # An award round's: a prize (zero for an honourable mention), or none.
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"


class CommissionSession(SQLModel, table=True):
    """A meeting of the technical commission; decisions taken in it form its minutes."""

    __tablename__ = "commission_session"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    title: str = Field(max_length=200)
    location: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at_field()

    members: list["SessionMember"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )


class SessionMember(SQLModel, table=True):
    __tablename__ = "session_member"

    session_id: int | None = Field(
        default=None, foreign_key="commission_session.id", primary_key=True, ondelete="CASCADE"
    )
    user_id: int = Field(foreign_key="user_account.id", primary_key=True)


class Decision(SQLModel, table=True):
    """The funding decision on a proposal, with the rules and scores it was taken under."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    session_id: int | None = Field(default=None, foreign_key="commission_session.id", index=True)
    outcome: Outcome = Field(sa_column=enum_column(Outcome))
    granted_amount: Decimal | None = Field(default=None, sa_column=sa.Column(Money()))
    requested_amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    rationale: str
    # An award's public text, printed on the laureate's certificate.
    citation: str | None = None
    # Snapshots: the call's rules and criteria and the scores as they stood.
    rules: dict[str, Any] = json_field(default_factory=dict)
    criteria: list[dict[str, Any]] = json_field()
    scores: dict[str, Any] = json_field(default_factory=dict)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime = created_at_field()

    conditions: list["DecisionCondition"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
            "order_by": "DecisionCondition.position",
        }
    )


class DecisionCondition(SQLModel, table=True):
    """One item of a conditional approval's checklist."""

    __tablename__ = "decision_condition"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int | None = Field(
        default=None, foreign_key="decision.id", index=True, ondelete="CASCADE", nullable=False
    )
    position: int
    text: str
    fulfilled_at: datetime | None = timestamp_field()
    fulfilled_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    note: str | None = None
