"""The project's state machine: contracting → active → final_reporting → closed."""

from collections.abc import Iterator

from sqlmodel import select

from fundflow.calls.models import Call
from fundflow.calls.service import call_rules
from fundflow.cofinancing.agreement import (
    conditions_met,
    create_tranches_and_schedule,
    fully_confirmed,
    has_dates,
)
from fundflow.core.errors import Violation
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, TransitionContext, transition
from fundflow.monitoring.models import Report, ReportKind, ReportStatus
from fundflow.monitoring.reports import settle
from fundflow.projects.models import Project, ProjectStatus

S = ProjectStatus
SECRETARIAT = [Role.SECRETARIAT]


def final_report_approved(ctx: TransitionContext[Project]) -> Iterator[Violation]:
    call = ctx.session.get(Call, ctx.entity.call_id)
    assert call is not None
    if not call_rules(call).requires_reports:
        return
    final = ctx.session.exec(
        select(Report).where(Report.project_id == ctx.entity.id, Report.kind == ReportKind.FINAL)
    ).first()
    if final is None or final.status != ReportStatus.APPROVED:
        yield Violation("final_report_approved", N_("The final report must be approved first."))


PROJECT_MACHINE: Machine[Project] = Machine(
    entity_type="project",
    states=frozenset(S),
    transitions=(
        transition(
            "sign_agreement",
            [S.CONTRACTING],
            S.ACTIVE,
            SECRETARIAT,
            guards=(fully_confirmed, conditions_met, has_dates),
            effects=(create_tranches_and_schedule,),
        ),
        transition("end", [S.ACTIVE], S.FINAL_REPORTING, SECRETARIAT),
        transition("suspend", [S.ACTIVE], S.SUSPENDED, SECRETARIAT, comment_required=True),
        transition("resume", [S.SUSPENDED], S.ACTIVE, SECRETARIAT, comment_required=True),
        transition(
            "close",
            [S.FINAL_REPORTING],
            S.CLOSED,
            SECRETARIAT,
            guards=(final_report_approved,),
            effects=(settle,),
        ),
        transition(
            "terminate",
            [S.CONTRACTING, S.ACTIVE, S.SUSPENDED],
            S.TERMINATED,
            SECRETARIAT,
            comment_required=True,
            effects=(settle,),
        ),
    ),
)
