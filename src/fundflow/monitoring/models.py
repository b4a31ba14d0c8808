from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, enum_column


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
    version: int = 1
    created_at: datetime = created_at_field()
