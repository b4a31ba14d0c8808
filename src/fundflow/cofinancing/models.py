from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select, select
from sqlmodel import Field, SQLModel, col

from fundflow.core.dbtypes import Money, Quantity, ScaledDecimal, created_at_field, enum_column


class CommitmentStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


# Commitments that still count: asked for or given.
ACTIVE = (CommitmentStatus.PROPOSED, CommitmentStatus.CONFIRMED)


class TrancheStatus(StrEnum):
    PENDING = "pending"
    DUE = "due"
    PAID = "paid"


class Commitment(SQLModel, table=True):
    """One funder's share of one project, drawn from one of its envelopes.

    ``amount`` and ``disbursed`` are in the project's (its call's) currency, as the grant
    and its tranches are; ``funder_amount`` and ``funder_disbursed`` in the envelope's,
    which is the funder's. Between two currencies the rate used is kept with the
    commitment (a snapshot: a later change of the rate table never alters it)."""

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(
            "disbursed >= 0 AND disbursed <= amount", name="disbursed_within_amount"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    envelope_id: int = Field(foreign_key="envelope.id", index=True)
    funder_id: int = Field(foreign_key="funder.id", index=True)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    disbursed: Decimal = Field(
        default=Decimal("0.00"), sa_column=sa.Column(Money(), nullable=False, server_default="0")
    )
    status: CommitmentStatus = Field(
        default=CommitmentStatus.PROPOSED, sa_column=enum_column(CommitmentStatus, index=True)
    )
    funder_currency: str = Field(
        default="CHF", sa_column=sa.Column(sa.String(3), nullable=False, server_default="CHF")
    )
    funder_amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    funder_disbursed: Decimal = Field(
        default=Decimal("0.00"), sa_column=sa.Column(Money(), nullable=False, server_default="0")
    )
    # A copy of the rate row converted with (one rate_base is worth rate rate_quote), and
    # the day converted for; none between one currency. A copy, not a reference: deleting
    # or adding rates later changes nothing here.
    rate_id: int | None = Field(default=None)
    rate_valid_from: date | None = None
    rate_base: str | None = Field(default=None, max_length=3)
    rate_quote: str | None = Field(default=None, max_length=3)
    rate: Decimal | None = Field(default=None, sa_column=sa.Column(ScaledDecimal(18, 8)))
    rate_source: str | None = Field(default=None, max_length=200)
    converted_on: date | None = None
    version: int = 1
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()

    @property
    def rate_used(self) -> dict[str, Any] | None:
        if self.rate_id is None:
            return None
        return {
            "id": self.rate_id,
            "valid_from": self.rate_valid_from,
            "base": self.rate_base,
            "quote": self.rate_quote,
            "rate": self.rate,
            "source": self.rate_source,
        }


class Tranche(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("project_id", "position"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    position: int
    share: Decimal = Field(sa_column=sa.Column(Quantity(), nullable=False))
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    # on_signature, on_report_approved or on_final_report_approved (calls.rules).
    condition: str = Field(max_length=40)
    status: TrancheStatus = Field(
        default=TrancheStatus.PENDING, sa_column=enum_column(TrancheStatus)
    )
    due_since: date | None = None


class Disbursement(SQLModel, table=True):
    """The payment of one tranche, split across the project's confirmed commitments."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    # A tranche is paid once.
    tranche_id: int = Field(foreign_key="tranche.id", unique=True)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    paid_on: date
    reference: str = Field(max_length=100)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()


class DisbursementShare(SQLModel, table=True):
    """How much of a disbursement each funder's commitment paid, to the cent."""

    __tablename__ = "disbursement_share"
    __table_args__ = (sa.UniqueConstraint("disbursement_id", "commitment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    disbursement_id: int = Field(foreign_key="disbursement.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    # The same part in the commitment's (the funder's) currency: what the funder pays.
    funder_amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))


def co_financed_by(funder_id: int) -> Select[Any]:
    """Projects a funder has committed to (or been asked to), declined ones excepted: the
    projects, and their proposals, its staff may see."""
    return select(col(Commitment.project_id)).where(
        col(Commitment.funder_id) == funder_id, col(Commitment.status) != CommitmentStatus.DECLINED
    )
