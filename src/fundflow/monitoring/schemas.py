from datetime import date

from pydantic import BaseModel

from fundflow.monitoring.models import ReportKind, ReportStatus


class ScheduledReport(BaseModel):
    id: int
    kind: ReportKind
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus
    overdue: bool
    days_late: int
