"""Reports: what the association writes, each submitted version, and what approval does."""

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.calls.service import call_rules
from fundflow.cofinancing.models import Disbursement, Tranche, TrancheStatus
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, InvalidInput, Violation, not_found
from fundflow.core.messages import N_, Message
from fundflow.core.money import ZERO
from fundflow.core.queries import get_visible
from fundflow.core.versioning import bump_version, check_version
from fundflow.core.workflow import TransitionContext
from fundflow.monitoring.models import (
    Refund,
    Report,
    ReportExpense,
    ReportIndicatorValue,
    ReportKind,
    ReportStatus,
    ReportVersion,
)
from fundflow.monitoring.policies import require_report_writer
from fundflow.monitoring.schemas import (
    ExpensePublic,
    IndicatorValuePublic,
    ReportPublic,
    ReportUpdate,
    ReportVersionPublic,
)
from fundflow.projects.models import Project, ProjectStatus
from fundflow.projects.policies import project_visibility
from fundflow.proposals.models import Indicator

EDITABLE = (ReportStatus.SCHEDULED, ReportStatus.CHANGES_REQUESTED)
REPORTING = (ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED, ProjectStatus.FINAL_REPORTING)


def report_visibility(actor: Actor) -> sa.ColumnElement[bool]:
    """A report is seen by whoever sees its project."""
    return col(Report.project_id).in_(select(col(Project.id)).where(project_visibility(actor)))


def get_report(session: Session, *, actor: Actor, report_id: int) -> Report:
    return get_visible(session, Report, report_id, report_visibility(actor), "Report")


def project_of(_session: Session, report: Report) -> Project:
    return report.project


def indicator_ids(session: Session, project: Project) -> set[int]:
    return set(
        session.scalars(
            select(col(Indicator.id)).where(Indicator.proposal_id == project.proposal_id)
        )
    )


def save_content(session: Session, *, actor: Actor, report: Report, data: ReportUpdate) -> Report:
    project = project_of(session, report)
    require_report_writer(actor, project.organisation_id)
    if report.status not in EDITABLE:
        raise Conflict(
            Message(
                N_("A report in state `%(state)s` can no longer be edited."),
                {"state": str(report.status)},
            )
        )
    check_version(report, data.version, "report")
    known = indicator_ids(session, project)
    errors = [
        {
            "loc": ["body", "indicator_values", str(i), "indicator_id"],
            "message": f"indicator {v.indicator_id} is not in this project's logframe",
        }
        for i, v in enumerate(data.indicator_values)
        if v.indicator_id not in known
    ]
    seen = [v.indicator_id for v in data.indicator_values]
    if len(seen) != len(set(seen)):
        errors.append({"loc": ["body", "indicator_values"], "message": "an indicator twice"})
    if errors:
        raise InvalidInput(N_("The indicator values are not valid."), errors)
    report.narrative = data.narrative
    report.own_funds_spent = data.own_funds_spent
    session.execute(
        sa.delete(ReportIndicatorValue).where(col(ReportIndicatorValue.report_id) == report.id)
    )
    session.execute(sa.delete(ReportExpense).where(col(ReportExpense.report_id) == report.id))
    for value in data.indicator_values:
        session.add(
            ReportIndicatorValue(
                report_id=report.id or 0,
                indicator_id=value.indicator_id,
                value=value.value,
                comment=value.comment,
            )
        )
    for expense in data.expenses:
        session.add(
            ReportExpense(
                report_id=report.id or 0, category=str(expense.category), amount=expense.amount
            )
        )
    session.add(report)
    bump_version(session, report, "report")
    return report


def spent_from_grant(expenses: Decimal, own_funds_spent: Decimal | None) -> Decimal:
    """What the grant paid: the expenses less the association's own funds, never below 0."""
    return max(expenses - (own_funds_spent or ZERO), ZERO)


def _content(
    session: Session, reports: Sequence[Report]
) -> tuple[dict[int, list[ReportIndicatorValue]], dict[int, list[ReportExpense]]]:
    ids = [r.id for r in reports]
    values: dict[int, list[ReportIndicatorValue]] = {i or 0: [] for i in ids}
    expenses: dict[int, list[ReportExpense]] = {i or 0: [] for i in ids}
    if ids:
        for v in session.exec(
            select(ReportIndicatorValue)
            .where(col(ReportIndicatorValue.report_id).in_(ids))
            .order_by(col(ReportIndicatorValue.id))
        ):
            values[v.report_id].append(v)
        for e in session.exec(
            select(ReportExpense)
            .where(col(ReportExpense.report_id).in_(ids))
            .order_by(col(ReportExpense.id))
        ):
            expenses[e.report_id].append(e)
    return values, expenses


def to_public_many(session: Session, reports: Sequence[Report]) -> list[ReportPublic]:
    values, expenses = _content(session, reports)
    today = utcnow().date()
    return [
        ReportPublic(
            id=r.id or 0,
            project_id=r.project_id,
            kind=r.kind,
            period_start=r.period_start,
            period_end=r.period_end,
            due_on=r.due_on,
            status=r.status,
            overdue=r.is_overdue(today),
            narrative=r.narrative,
            indicator_values=[
                IndicatorValuePublic(indicator_id=v.indicator_id, value=v.value, comment=v.comment)
                for v in values[r.id or 0]
            ],
            expenses=[
                ExpensePublic(category=e.category, amount=e.amount) for e in expenses[r.id or 0]
            ],
            own_funds_spent=r.own_funds_spent,
            spent_from_grant=spent_from_grant(
                sum((e.amount for e in expenses[r.id or 0]), ZERO), r.own_funds_spent
            ),
            submitted_at=r.submitted_at,
            approved_at=r.approved_at,
            version=r.version,
        )
        for r in reports
    ]


def to_public(session: Session, report: Report) -> ReportPublic:
    return to_public_many(session, [report])[0]


def history(session: Session, report: Report) -> list[ReportVersionPublic]:
    rows = session.exec(
        select(ReportVersion)
        .where(ReportVersion.report_id == report.id)
        .order_by(col(ReportVersion.number))
    ).all()
    return [
        ReportVersionPublic(
            number=v.number,
            submitted_at=v.submitted_at,
            submitted_by_id=v.submitted_by_id,
            changes_requested=v.changes_requested,
            content=v.content,
        )
        for v in rows
    ]


# --- guards and effects of the report machine -------------------------------------------


def project_reporting(ctx: TransitionContext[Report]) -> Iterator[Violation]:
    project = project_of(ctx.session, ctx.entity)
    if project.status not in REPORTING:
        yield Violation(
            "project_reporting",
            Message(N_("The project is `%(state)s`."), {"state": str(project.status)}),
        )


def complete(ctx: TransitionContext[Report]) -> Iterator[Violation]:
    report: Report = ctx.entity
    project = project_of(ctx.session, report)
    if not (report.narrative or "").strip():
        yield Violation("narrative", N_("Write what was done (narrative)."))
    answered = set(
        ctx.session.scalars(
            select(col(ReportIndicatorValue.indicator_id)).where(
                ReportIndicatorValue.report_id == report.id
            )
        )
    )
    missing = sorted(indicator_ids(ctx.session, project) - answered)
    if missing:
        yield Violation(
            "indicator_values",
            Message(
                N_("Give a value (or say why not measured) for indicators %(ids)s."),
                {"ids": str(missing)},
            ),
        )
    if report.own_funds_spent is None:
        yield Violation("own_funds_spent", N_("State the own funds spent (0 if none)."))


def snapshot_version(ctx: TransitionContext[Report]) -> None:
    report: Report = ctx.entity
    public = to_public(ctx.session, report)
    number = (
        ctx.session.scalar(
            sa.select(sa.func.max(col(ReportVersion.number))).where(
                col(ReportVersion.report_id) == report.id
            )
        )
        or 0
    ) + 1
    content: dict[str, Any] = public.model_dump(
        mode="json", include={"narrative", "indicator_values", "expenses", "own_funds_spent"}
    )
    ctx.session.add(
        ReportVersion(
            report_id=report.id or 0, number=number, content=content, submitted_by_id=ctx.actor.id
        )
    )
    report.submitted_at = utcnow()
    ctx.session.add(report)


def note_changes_requested(ctx: TransitionContext[Report]) -> None:
    latest = ctx.session.exec(
        select(ReportVersion)
        .where(ReportVersion.report_id == ctx.entity.id)
        .order_by(col(ReportVersion.number).desc())
    ).first()
    if latest is not None:
        latest.changes_requested = ctx.comment
        ctx.session.add(latest)


def release_tranches(ctx: TransitionContext[Report]) -> None:
    """Approval makes due the tranches it gates: the n-th interim report the n-th
    `on_report_approved` tranche, the final report the `on_final_report_approved` ones."""
    report: Report = ctx.entity
    report.approved_at = utcnow()
    ctx.session.add(report)
    tranches = ctx.session.exec(
        select(Tranche)
        .where(Tranche.project_id == report.project_id)
        .order_by(col(Tranche.position))
    ).all()
    if report.kind == ReportKind.FINAL:
        gated = [t for t in tranches if t.condition == "on_final_report_approved"]
    else:
        interims = ctx.session.scalars(
            select(col(Report.id))
            .where(Report.project_id == report.project_id, Report.kind == ReportKind.INTERIM)
            .order_by(col(Report.due_on), col(Report.id))
        ).all()
        order = list(interims).index(report.id)
        by_report = [t for t in tranches if t.condition == "on_report_approved"]
        gated = by_report[order : order + 1]
    for tranche in gated:
        if tranche.status == TrancheStatus.PENDING:
            tranche.status = TrancheStatus.DUE
            tranche.due_since = utcnow().date()
            ctx.session.add(tranche)


# --- closing the books ---------------------------------------------------------------------


def settle(ctx: TransitionContext[Project]) -> None:
    """At closing or termination: balance = disbursed − spent from the grant by approved
    reports, never below zero; a positive balance is a refund due."""
    project: Project = ctx.entity
    call = ctx.session.get(Call, project.call_id)
    assert call is not None
    if not call_rules(call).requires_reports:
        # A prize is the laureate's once paid: nothing to account for, nothing to refund.
        project.balance = ZERO
        ctx.session.add(project)
        return
    disbursed = (
        ctx.session.scalar(
            sa.select(sa.func.sum(col(Disbursement.amount))).where(
                col(Disbursement.project_id) == project.id
            )
        )
        or ZERO
    )
    approved = ctx.session.exec(
        select(Report).where(
            Report.project_id == project.id, Report.status == ReportStatus.APPROVED
        )
    ).all()
    _, expenses = _content(ctx.session, approved)
    spent = sum(
        (
            spent_from_grant(sum((e.amount for e in expenses[r.id or 0]), ZERO), r.own_funds_spent)
            for r in approved
        ),
        ZERO,
    )
    balance = max(disbursed - spent, ZERO)
    project.balance = balance
    ctx.session.add(project)
    if balance > 0:
        ctx.session.add(Refund(project_id=project.id or 0, amount=balance))


def refund_of(session: Session, *, project_id: int) -> Refund:
    refund = session.exec(select(Refund).where(Refund.project_id == project_id)).first()
    if refund is None:
        raise not_found("Refund of project", project_id)
    return refund


def get_refund(session: Session, *, actor: Actor, refund_id: int) -> Refund:
    visible = col(Refund.project_id).in_(select(col(Project.id)).where(project_visibility(actor)))
    return get_visible(session, Refund, refund_id, visible, "Refund")
