from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.core.dbtypes import (
    Quantity,
    UTCDateTime,
    created_at_field,
    enum_column,
    json_field,
)


class CallKind(StrEnum):
    COOPERATION = "cooperation"
    INTEGRATION = "integration"
    # An award round: nominations instead of projects, a prize instead of a grant.
    AWARD = "award"


class CallStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Call(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: CallKind = Field(sa_column=enum_column(CallKind))
    title: str = Field(max_length=200)
    description: str | None = None
    year: int = Field(index=True)
    opens_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    # A rolling call has no closing date.
    closes_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    currency: str = Field(default="CHF", max_length=3)
    # Rules, reporting cadence and tranche plan are data validated by calls.schemas; a
    # decision copies the rule set it was taken under.
    rules: dict[str, Any] = json_field(default_factory=dict)
    reporting: dict[str, Any] = json_field(default_factory=dict)
    tranches: list[dict[str, Any]] = json_field()
    # An award round's categories (code, label, label_en): what a nomination is entered in.
    categories: list[dict[str, Any]] = json_field()
    status: CallStatus = Field(default=CallStatus.DRAFT, sa_column=enum_column(CallStatus))
    version: int = 1
    created_at: datetime = created_at_field()

    priorities: list["CallPriority"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "CallPriority.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )
    criteria: list["CallCriterion"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "CallCriterion.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )


class CallPriority(SQLModel, table=True):
    """A policy priority of a call: data, since programme periods change them."""

    __tablename__ = "call_priority"
    __table_args__ = (sa.UniqueConstraint("call_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", ondelete="CASCADE")
    position: int
    code: str = Field(max_length=60)
    label: str = Field(max_length=200)
    label_en: str | None = Field(default=None, max_length=200)


class CallCriterion(SQLModel, table=True):
    __tablename__ = "call_criterion"
    __table_args__ = (sa.UniqueConstraint("call_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", ondelete="CASCADE")
    position: int
    code: str = Field(max_length=60)
    label: str = Field(max_length=200)
    weight: Decimal = Field(sa_column=sa.Column(Quantity(), nullable=False))
    max_score: Decimal = Field(sa_column=sa.Column(Quantity(), nullable=False))
    threshold: Decimal | None = Field(default=None, sa_column=sa.Column(Quantity()))
    # An optional criterion may be marked "not applicable" by a reviewer.
    optional: bool = False
    # What a score means, by level ("1", "3", "5"): the anchors reviewers score against.
    guidance: dict[str, str] = json_field(default_factory=dict)
