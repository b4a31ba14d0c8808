from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import Money, created_at_field, enum_column


class ProjectStatus(StrEnum):
    CONTRACTING = "contracting"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    FINAL_REPORTING = "final_reporting"
    CLOSED = "closed"
    TERMINATED = "terminated"


class Project(SQLModel, table=True):
    """A funded proposal: created in `contracting` when the proposal reaches `approved`."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    title: str = Field(max_length=200)
    status: ProjectStatus = Field(
        default=ProjectStatus.CONTRACTING, sa_column=enum_column(ProjectStatus, index=True)
    )
    granted_amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    start_date: date | None = None
    end_date: date | None = None
    # Set at closing or termination: disbursed minus what approved reports spent from the
    # grant, never below zero.
    balance: Decimal | None = Field(default=None, sa_column=sa.Column(Money()))
    version: int = 1
    created_at: datetime = created_at_field()
