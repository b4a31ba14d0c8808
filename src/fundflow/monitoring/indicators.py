"""Indicator progress of a project: baseline, target and what approved reports measured."""

from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, col, select

from fundflow.monitoring.models import Report, ReportIndicatorValue, ReportStatus
from fundflow.monitoring.schemas import IndicatorProgress
from fundflow.projects.models import Project
from fundflow.proposals.models import Indicator

ONE_PLACE = Decimal("0.1")


def progress_percent(
    baseline: Decimal | None, target: Decimal | None, latest: Decimal | None
) -> Decimal | None:
    """How far from the baseline towards the target the latest value is, in %."""
    if latest is None or target is None:
        return None
    start = baseline or Decimal(0)
    if target == start:
        return None
    return ((latest - start) / (target - start) * 100).quantize(ONE_PLACE, ROUND_HALF_UP)


def indicator_progress(session: Session, project: Project) -> list[IndicatorProgress]:
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.proposal_id == project.proposal_id)
        .order_by(col(Indicator.id))
    ).all()
    rows = session.execute(
        select(ReportIndicatorValue, Report)
        .join(Report, col(Report.id) == col(ReportIndicatorValue.report_id))
        .where(col(Report.project_id) == project.id, col(Report.status) == ReportStatus.APPROVED)
        .order_by(col(Report.period_end), col(Report.id))
    ).all()
    actuals: dict[int, list[dict[str, object]]] = {i.id or 0: [] for i in indicators}
    latest: dict[int, Decimal] = {}
    for value, report in rows:
        actuals.setdefault(value.indicator_id, []).append(
            {
                "report_id": report.id,
                "kind": str(report.kind),
                "period_end": report.period_end.isoformat(),
                "value": None if value.value is None else format(value.value.normalize(), "f"),
                "comment": value.comment,
            }
        )
        if value.value is not None:
            latest[value.indicator_id] = value.value
    return [
        IndicatorProgress(
            indicator_id=i.id or 0,
            name=i.name,
            unit=i.unit,
            baseline=i.baseline,
            target=i.target,
            actuals=actuals[i.id or 0],
            latest=latest.get(i.id or 0),
            progress_percent=progress_percent(i.baseline, i.target, latest.get(i.id or 0)),
        )
        for i in indicators
    ]
