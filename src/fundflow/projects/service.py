"""Projects: funded proposals, from the approval on."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call, CallPriority
from fundflow.cofinancing.models import Commitment, CommitmentStatus, Disbursement
from fundflow.core.actor import Actor
from fundflow.core.errors import not_found
from fundflow.core.fixed_statements import VisibleById
from fundflow.core.money import ZERO
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible, where_given
from fundflow.core.transitions import record_event
from fundflow.monitoring.models import Report, ReportStatus
from fundflow.projects import policies
from fundflow.projects.models import Project, ProjectStatus
from fundflow.projects.schemas import ProjectPublic
from fundflow.proposals.models import Proposal, ProposalPriority

# Reports still owed: the next one due is shown with the project.
OPEN_REPORTS = (ReportStatus.SCHEDULED, ReportStatus.CHANGES_REQUESTED)


def create_from_proposal(
    session: Session,
    *,
    actor: Actor,
    proposal: Proposal,
    granted_amount: Decimal,
    dates: tuple[date, date] | None = None,
) -> Project:
    """The project of an approved proposal, over the proposal's dates unless ``dates``."""
    assert proposal.id is not None
    start_date, end_date = dates or (proposal.start_date, proposal.end_date)
    project = Project(
        proposal_id=proposal.id,
        call_id=proposal.call_id,
        organisation_id=proposal.organisation_id,
        title=proposal.title,
        granted_amount=granted_amount,
        start_date=start_date,
        end_date=end_date,
    )
    session.add(project)
    session.flush()
    session.expire(proposal, ["project"])
    assert project.id is not None
    record_event(
        session,
        entity_type="project",
        entity_id=project.id,
        action="create",
        actor=actor,
        data={"proposal_id": proposal.id, "granted_amount": granted_amount},
    )
    return project


def get_project(session: Session, *, actor: Actor, project_id: int) -> Project:
    return get_visible(session, Project, project_id, policies.project_visibility(actor), "Project")


_COLUMNS = (
    "id",
    "proposal_id",
    "call_id",
    "organisation_id",
    "title",
    "status",
    "granted_amount",
    "balance",
    "start_date",
    "end_date",
    "version",
    "created_at",
)


@cache
def _public_statement() -> Any:
    """Projects with their confirmed and disbursed amounts and next report due, each a
    correlated subquery: one statement for one project or a page of them."""
    committed = (
        sa.select(sa.func.sum(col(Commitment.amount)))
        .where(
            col(Commitment.project_id) == col(Project.id),
            col(Commitment.status) == CommitmentStatus.CONFIRMED,
        )
        .scalar_subquery()
    )
    disbursed = (
        sa.select(sa.func.sum(col(Disbursement.amount)))
        .where(col(Disbursement.project_id) == col(Project.id))
        .scalar_subquery()
    )
    next_due = (
        sa.select(sa.func.min(col(Report.due_on)))
        .where(col(Report.project_id) == col(Project.id), col(Report.status).in_(OPEN_REPORTS))
        .scalar_subquery()
    )
    currency = (
        sa.select(col(Call.currency)).where(col(Call.id) == col(Project.call_id)).scalar_subquery()
    )
    return sa.select(
        *(getattr(Project, name) for name in _COLUMNS),
        committed.label("committed"),
        disbursed.label("disbursed"),
        next_due.label("next_due"),
        currency.label("currency"),
    )


# The project and who may see it, by its id.
_ONE = VisibleById(
    lambda condition: _public_statement().where(condition),
    col(Project.id),
    policies.project_visibility,
)


def _public(values: Mapping[Any, Any]) -> ProjectPublic:
    return ProjectPublic(
        **{name: values[name] for name in _COLUMNS},
        committed_amount=values["committed"] or ZERO,
        disbursed_amount=values["disbursed"] or ZERO,
        next_report_due_on=values["next_due"],
        currency=values["currency"],
    )


def read_project(session: Session, project_id: int, viewer: Actor | None = None) -> ProjectPublic:
    """One project as the API shows it; 404 when absent or ``viewer`` may not see it."""
    row = _ONE.row(session.connection(), project_id, viewer)
    if row is None:
        raise not_found("Project", project_id)
    return _public(row)


def read_projects(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    call_id: int | None = None,
    status: ProjectStatus | None = None,
    organisation_id: int | None = None,
) -> tuple[list[ProjectPublic], str | None]:
    stmt = where_given(
        _public_statement().where(policies.project_visibility(actor)),
        {
            Project.call_id: call_id,
            Project.status: status,
            Project.organisation_id: organisation_id,
        },
    )
    rows, cursor = fetch_page(session, stmt, col(Project.id), page, whole_rows=True)
    return [_public(row._mapping) for row in rows], cursor


def projects_behind(
    session: Session,
    *,
    actor: Actor,
    year: int | None = None,
    call_id: int | None = None,
    country: str | None = None,
    priority: str | None = None,
    organisation_id: int | None = None,
    limit: int = 500,
) -> list[ProjectPublic]:
    """The projects the caller sees behind a figure of the statistics (its year, call,
    country, priority or association), in one statement."""
    stmt = where_given(
        _public_statement().where(policies.project_visibility(actor)),
        {Project.call_id: call_id, Project.organisation_id: organisation_id},
    )
    if year is not None:
        stmt = stmt.where(
            col(Project.call_id).in_(sa.select(col(Call.id)).where(col(Call.year) == year))
        )
    if country is not None:
        stmt = stmt.where(
            col(Project.proposal_id).in_(
                sa.select(col(Proposal.id)).where(col(Proposal.country) == country)
            )
        )
    if priority is not None:
        stmt = stmt.where(
            col(Project.proposal_id).in_(
                sa.select(col(ProposalPriority.proposal_id))
                .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
                .where(col(CallPriority.code) == priority)
            )
        )
    rows = session.execute(stmt.order_by(col(Project.id).desc()).limit(limit)).all()
    return [_public(row._mapping) for row in rows]


def to_public(session: Session, project: Project) -> ProjectPublic:
    """The project as the API shows it after a change."""
    assert project.id is not None
    return read_project(session, project.id)
