"""What the secretariat follows across the funded projects: reports to read, reports
overdue, tranches due to pay, projects waiting to be closed, refunds owed. Each list is
one statement, whatever the number of projects."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.cofinancing.models import Tranche, TrancheStatus
from fundflow.monitoring.models import Refund, RefundStatus, Report, ReportKind, ReportStatus
from fundflow.organisations.models import Organisation
from fundflow.projects.models import Project, ProjectStatus

SHOWN = 200


@dataclass(frozen=True)
class ProjectItem:
    """A line of the overview: a record of a project, named by the project."""

    project_id: int
    project_title: str
    organisation: str
    # The project's call's: the amount is in it.
    currency: str
    record_id: int
    kind: str
    on: date | datetime | None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Overview:
    to_read: list[ProjectItem]
    overdue: list[ProjectItem]
    tranches_due: list[ProjectItem]
    to_close: list[ProjectItem]
    refunds_due: list[ProjectItem]


def _named(*columns: Any, source: Any) -> sa.Select[Any]:
    return (
        sa.select(
            col(Project.id),
            col(Project.title),
            col(Organisation.name),
            col(Call.currency),
            *columns,
        )
        .select_from(source)
        .join(Project, col(Project.id) == source.project_id)
        .join(Organisation, col(Organisation.id) == col(Project.organisation_id))
        .join(Call, col(Call.id) == col(Project.call_id))
    )


def _items(session: Session, statement: sa.Select[Any]) -> list[ProjectItem]:
    return [ProjectItem(*row) for row in session.execute(statement.limit(SHOWN))]


def overview(session: Session, *, today: date) -> Overview:
    report_columns = (col(Report.id), col(Report.kind))
    return Overview(
        to_read=_items(
            session,
            _named(*report_columns, col(Report.submitted_at), source=Report)
            .where(col(Report.status) == ReportStatus.SUBMITTED)
            .order_by(col(Report.submitted_at), col(Report.id)),
        ),
        overdue=_items(
            session,
            _named(*report_columns, col(Report.due_on), source=Report)
            .where(col(Report.status) == ReportStatus.SCHEDULED, col(Report.due_on) < today)
            .order_by(col(Report.due_on), col(Report.id)),
        ),
        tranches_due=_items(
            session,
            _named(
                col(Tranche.id),
                col(Tranche.condition),
                col(Tranche.due_since),
                col(Tranche.amount),
                source=Tranche,
            )
            .where(col(Tranche.status) == TrancheStatus.DUE)
            .order_by(col(Tranche.due_since), col(Tranche.id)),
        ),
        to_close=_items(
            session,
            _named(col(Report.id), col(Report.kind), col(Report.approved_at), source=Report)
            .where(
                col(Project.status) == ProjectStatus.FINAL_REPORTING,
                col(Report.kind) == ReportKind.FINAL,
                col(Report.status) == ReportStatus.APPROVED,
            )
            .order_by(col(Report.approved_at)),
        ),
        refunds_due=_items(
            session,
            _named(
                col(Refund.id),
                sa.literal("refund"),
                col(Refund.created_at),
                col(Refund.amount),
                source=Refund,
            )
            .where(col(Refund.status) == RefundStatus.DUE)
            .order_by(col(Refund.id)),
        ),
    )
