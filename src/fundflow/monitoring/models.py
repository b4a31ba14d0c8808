from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.core.dbtypes import (
    Money,
    Quantity,
    created_at_field,
    enum_column,
    json_field,
    timestamp_field,
)

if TYPE_CHECKING:
    from fundflow.projects.models import Project


class ReportKind(StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ReportStatus(StrEnum):
    SCHEDULED = "scheduled"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


class Report(SQLModel, table=True):
    """A report the project owes: scheduled when the agreement is signed."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: ReportKind = Field(sa_column=enum_column(ReportKind))
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus = Field(
        default=ReportStatus.SCHEDULED, sa_column=enum_column(ReportStatus, index=True)
    )
    narrative: str | None = None
    own_funds_spent: Decimal | None = Field(default=None, sa_column=sa.Column(Money()))
    submitted_at: datetime | None = timestamp_field()
    approved_at: datetime | None = timestamp_field()
    version: int = 1
    created_at: datetime = created_at_field()

    project: "Project" = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})

    def is_overdue(self, today: date) -> bool:
        """Still not submitted after its due date (derived, never stored)."""
        return self.status == ReportStatus.SCHEDULED and self.due_on < today


class ReportIndicatorValue(SQLModel, table=True):
    """What a report says an indicator reached, or why it was not measured."""

    __tablename__ = "report_indicator_value"
    __table_args__ = (sa.UniqueConstraint("report_id", "indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    value: Decimal | None = Field(default=None, sa_column=sa.Column(Quantity()))
    comment: str | None = None


class ReportExpense(SQLModel, table=True):
    __tablename__ = "report_expense"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
    category: str = Field(max_length=40)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))


class ReportVersion(SQLModel, table=True):
    """Each submitted version of a report, kept as it was sent."""

    __tablename__ = "report_version"
    __table_args__ = (sa.UniqueConstraint("report_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True, ondelete="CASCADE")
    number: int
    content: dict[str, Any] = json_field(default_factory=dict)
    submitted_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    submitted_at: datetime = created_at_field()
    # What the secretariat asked to change in this version, if it did.
    changes_requested: str | None = None


class Document(SQLModel, table=True):
    """An attachment of a proposal or a report, stored by content hash."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    report_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64, index=True)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()


class ReminderLog(SQLModel, table=True):
    """A reminder sent: the same one is never sent twice on the same day."""

    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("subject", "user_id", "sent_on"),)

    id: int | None = Field(default=None, primary_key=True)
    # What the reminder is about, e.g. "due_soon report 12" or "overdue digest".
    subject: str = Field(max_length=80)
    report_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    user_id: int = Field(foreign_key="user_account.id")
    sent_on: date
    created_at: datetime = created_at_field()


class RefundStatus(StrEnum):
    DUE = "due"
    RECEIVED = "received"
    WAIVED = "waived"


class Refund(SQLModel, table=True):
    """Unused funds the association owes back when its project closes or is terminated."""

    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", unique=True)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    status: RefundStatus = Field(default=RefundStatus.DUE, sa_column=enum_column(RefundStatus))
    version: int = 1
    created_at: datetime = created_at_field()
