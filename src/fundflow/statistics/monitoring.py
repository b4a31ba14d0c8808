"""Monitoring statistics: projects by state, reports, indicator progress per priority and
unused funds — each computed by grouped queries."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call, CallPriority
from fundflow.cofinancing.policies import projects_confirmed_by
from fundflow.core.money import ZERO, format_amount
from fundflow.monitoring.indicators import progress_percent
from fundflow.monitoring.models import (
    Refund,
    Report,
    ReportIndicatorValue,
    ReportStatus,
)
from fundflow.projects.models import Project
from fundflow.proposals.models import Indicator, ProposalPriority


def monitoring_statistics(
    session: Session,
    *,
    today: date,
    year: int | None = None,
    call_id: int | None = None,
    funder_id: int | None = None,
) -> dict[str, Any]:
    projects: Any = sa.select(col(Project.id)).join(Call, col(Call.id) == col(Project.call_id))
    if year is not None:
        projects = projects.where(col(Call.year) == year)
    if call_id is not None:
        projects = projects.where(col(Project.call_id) == call_id)
    if funder_id is not None:
        projects = projects.where(col(Project.id).in_(projects_confirmed_by(funder_id)))
    in_scope = col(Project.id).in_(projects)

    by_status = dict(
        session.execute(
            sa.select(col(Project.status), sa.func.count())
            .where(in_scope)
            .group_by(col(Project.status))
        ).all()
    )
    waiting = col(Report.status).in_((ReportStatus.SCHEDULED, ReportStatus.CHANGES_REQUESTED))
    reports = session.execute(
        sa.select(
            sa.func.count().filter(waiting),
            sa.func.count().filter(waiting, col(Report.due_on) < today),
            sa.func.count().filter(col(Report.status) == ReportStatus.SUBMITTED),
            sa.func.count().filter(col(Report.status) == ReportStatus.APPROVED),
        ).where(col(Report.project_id).in_(projects))
    ).one()
    refunds = {
        str(status): (count, amount or ZERO)
        for status, count, amount in session.execute(
            sa.select(col(Refund.status), sa.func.count(), sa.func.sum(col(Refund.amount)))
            .where(col(Refund.project_id).in_(projects))
            .group_by(col(Refund.status))
        ).all()
    }
    return {
        "projects_by_status": {str(k): v for k, v in sorted(by_status.items())},
        "reports": {
            "due": reports[0],
            "overdue": reports[1],
            "submitted": reports[2],
            "approved": reports[3],
        },
        "indicator_progress_by_priority": _progress_by_priority(session, projects),
        "unused_funds": {
            status: {
                "count": refunds.get(status, (0, ZERO))[0],
                "amount": format_amount(refunds.get(status, (0, ZERO))[1]),
            }
            for status in ("due", "received", "waived")
        },
    }


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _progress_by_priority(session: Session, projects: Any) -> list[dict[str, Any]]:
    """The mean progress towards target of the indicators of each priority's projects,
    from the latest approved value of each indicator."""
    latest_period = (
        sa.select(
            col(ReportIndicatorValue.indicator_id).label("indicator_id"),
            sa.func.max(col(Report.period_end)).label("period_end"),
        )
        .join(Report, col(Report.id) == col(ReportIndicatorValue.report_id))
        .where(
            col(Report.status) == ReportStatus.APPROVED,
            col(ReportIndicatorValue.value).is_not(None),
            col(Report.project_id).in_(projects),
        )
        .group_by(col(ReportIndicatorValue.indicator_id))
        .subquery()
    )
    rows = session.execute(
        sa.select(
            col(CallPriority.code),
            col(Indicator.id),
            col(Indicator.baseline),
            col(Indicator.target),
            col(ReportIndicatorValue.value),
        )
        .join(Report, col(Report.id) == col(ReportIndicatorValue.report_id))
        .join(
            latest_period,
            sa.and_(
                latest_period.c.indicator_id == col(ReportIndicatorValue.indicator_id),
                latest_period.c.period_end == col(Report.period_end),
            ),
        )
        .join(Indicator, col(Indicator.id) == col(ReportIndicatorValue.indicator_id))
        .join(ProposalPriority, col(ProposalPriority.proposal_id) == col(Indicator.proposal_id))
        .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
        .where(col(Report.status) == ReportStatus.APPROVED)
    ).all()
    by_priority: dict[str, list[Decimal]] = {}
    for code, _, baseline, target, value in rows:
        progress = progress_percent(baseline, target, value)
        if progress is not None:
            by_priority.setdefault(code, []).append(progress)
    return [
        {
            "priority": code,
            "indicators": len(values),
            "mean_progress_percent": f"{_mean(values)}",
        }
        for code, values in sorted(by_priority.items())
    ]


def as_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The monitoring figures as one sheet: a row per figure, numbers as numbers."""
    header = ["section", "item", "count", "amount", "mean_progress_percent"]
    rows: list[list[Any]] = []
    for status, count in result["projects_by_status"].items():
        rows.append(["projects_by_status", status, count, None, None])
    for name, count in result["reports"].items():
        rows.append(["reports", name, count, None, None])
    for entry in result["indicator_progress_by_priority"]:
        rows.append(
            [
                "indicator_progress_by_priority",
                entry["priority"],
                entry["indicators"],
                None,
                Decimal(entry["mean_progress_percent"]),
            ]
        )
    for status, figures in result["unused_funds"].items():
        rows.append(["unused_funds", status, figures["count"], Decimal(figures["amount"]), None])
    return header, rows
