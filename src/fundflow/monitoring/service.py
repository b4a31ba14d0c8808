"""The reporting schedule of a project; overdue is derived, never stored."""

from datetime import date

from sqlmodel import Session, col, select

from fundflow.core.dbtypes import utcnow
from fundflow.monitoring.models import Report
from fundflow.monitoring.schemas import ScheduledReport
from fundflow.projects.models import Project


def schedule(
    session: Session, project: Project, *, today: date | None = None
) -> list[ScheduledReport]:
    today = today or utcnow().date()
    rows = session.exec(
        select(Report)
        .where(Report.project_id == project.id)
        .order_by(col(Report.due_on), col(Report.id))
    ).all()
    result = []
    for r in rows:
        late = r.is_overdue(today)
        result.append(
            ScheduledReport(
                id=r.id or 0,
                kind=r.kind,
                period_start=r.period_start,
                period_end=r.period_end,
                due_on=r.due_on,
                status=r.status,
                overdue=late,
                days_late=(today - r.due_on).days if late else 0,
            )
        )
    return result
