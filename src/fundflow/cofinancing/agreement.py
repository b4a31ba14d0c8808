"""Signing the agreement: tranches from the call's plan and the reporting schedule."""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.calls.rules import Reporting, TrancheCondition, TranchePlanItem
from fundflow.calls.service import call_rules
from fundflow.cofinancing.models import Commitment, CommitmentStatus, Tranche, TrancheStatus
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Violation
from fundflow.core.messages import N_, Message
from fundflow.core.money import ZERO, format_amount, split_to_cents
from fundflow.core.workflow import TransitionContext
from fundflow.decisions.models import Decision
from fundflow.monitoring.models import Report, ReportKind
from fundflow.projects.models import Project
from fundflow.proposals.eligibility import add_months


def tranche_amounts(granted: Decimal, plan: list[TranchePlanItem]) -> list[Decimal]:
    """The grant split by the plan's shares, to the cent, summing exactly to the grant."""
    return split_to_cents(granted, [item.share for item in plan])


def reporting_schedule(
    start: date, end: date, reporting: Reporting
) -> list[tuple[ReportKind, date, date, date]]:
    """Interim reports for every full period of `interim_every_months` from the start that
    ends before the project does, then the final report over the rest: periods follow each
    other, so expenses added up over reports count each franc once."""
    schedule = []
    months = reporting.interim_every_months
    period = 1
    while True:
        period_start = add_months(start, months * (period - 1))
        period_end = add_months(start, months * period) - timedelta(days=1)
        if period_end >= end:
            break
        schedule.append(
            (
                ReportKind.INTERIM,
                period_start,
                period_end,
                period_end + timedelta(days=reporting.interim_due_days),
            )
        )
        period += 1
    final_start = schedule[-1][2] + timedelta(days=1) if schedule else start
    schedule.append(
        (ReportKind.FINAL, final_start, end, end + timedelta(days=reporting.final_due_days))
    )
    return schedule


def confirmed_total(session: Session, project_id: int) -> Decimal:
    return (
        session.execute(
            sa.select(sa.func.sum(col(Commitment.amount))).where(
                col(Commitment.project_id) == project_id,
                col(Commitment.status) == CommitmentStatus.CONFIRMED,
            )
        ).scalar_one()
        or ZERO
    )


# --- guards and effects of `sign_agreement` ----------------------------------------------


def fully_confirmed(ctx: TransitionContext[Project]) -> Iterator[Violation]:
    project: Project = ctx.entity
    confirmed = confirmed_total(ctx.session, project.id or 0)
    if confirmed != project.granted_amount:
        yield Violation(
            "commitments_confirmed",
            Message(
                N_("Confirmed commitments add up to %(confirmed)s; the grant is %(granted)s."),
                {
                    "confirmed": format_amount(confirmed),
                    "granted": format_amount(project.granted_amount),
                },
            ),
        )


def conditions_met(ctx: TransitionContext[Project]) -> Iterator[Violation]:
    decision = ctx.session.exec(
        select(Decision).where(Decision.proposal_id == ctx.entity.proposal_id)
    ).first()
    open_items = (
        [c.text for c in decision.conditions if c.fulfilled_at is None]
        if decision is not None
        else []
    )
    if open_items:
        yield Violation(
            "conditions_fulfilled",
            Message(
                N_("Conditions of the decision still open: %(items)s"),
                {"items": "; ".join(open_items)},
            ),
        )


def has_dates(ctx: TransitionContext[Project]) -> Iterator[Violation]:
    if ctx.entity.start_date is None or ctx.entity.end_date is None:
        yield Violation("project_dates", N_("The project needs its start and end dates."))


def create_tranches_and_schedule(ctx: TransitionContext[Project]) -> None:
    project: Project = ctx.entity
    call = ctx.session.get(Call, project.call_id)
    assert call is not None and project.id is not None
    plan = [TranchePlanItem.model_validate(item) for item in call.tranches]
    today = utcnow().date()
    for position, (item, amount) in enumerate(
        zip(plan, tranche_amounts(project.granted_amount, plan), strict=True)
    ):
        due = item.on == TrancheCondition.ON_SIGNATURE
        ctx.session.add(
            Tranche(
                project_id=project.id,
                position=position,
                share=item.share,
                amount=amount,
                condition=str(item.on),
                status=TrancheStatus.DUE if due else TrancheStatus.PENDING,
                due_since=today if due else None,
            )
        )
    if not call_rules(call).requires_reports:
        return
    assert project.start_date is not None and project.end_date is not None
    reporting = Reporting.model_validate(call.reporting)
    for kind, start, end, due_on in reporting_schedule(
        project.start_date, project.end_date, reporting
    ):
        ctx.session.add(
            Report(
                project_id=project.id, kind=kind, period_start=start, period_end=end, due_on=due_on
            )
        )
