"""Projects: funded proposals, from the approval on."""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.cofinancing.models import Commitment, CommitmentStatus, Disbursement
from fundflow.core.actor import Actor
from fundflow.core.money import ZERO
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible, where_given
from fundflow.core.transitions import record_event
from fundflow.monitoring.models import Report, ReportStatus
from fundflow.projects import policies
from fundflow.projects.models import Project, ProjectStatus
from fundflow.projects.schemas import ProjectPublic
from fundflow.proposals.models import Proposal

# Reports still owed: the next one due is shown with the project.
OPEN_REPORTS = (ReportStatus.SCHEDULED, ReportStatus.CHANGES_REQUESTED)


def create_from_proposal(
    session: Session, *, actor: Actor, proposal: Proposal, granted_amount: Decimal
) -> Project:
    assert proposal.id is not None
    project = Project(
        proposal_id=proposal.id,
        call_id=proposal.call_id,
        organisation_id=proposal.organisation_id,
        title=proposal.title,
        granted_amount=granted_amount,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
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


def list_projects(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    call_id: int | None = None,
    status: ProjectStatus | None = None,
    organisation_id: int | None = None,
) -> tuple[Sequence[Project], str | None]:
    stmt = where_given(
        select(Project).where(policies.project_visibility(actor)),
        {
            Project.call_id: call_id,
            Project.status: status,
            Project.organisation_id: organisation_id,
        },
    )
    return fetch_page(session, stmt, Project.id, page)


def to_public_many(session: Session, projects: Sequence[Project]) -> list[ProjectPublic]:
    """Projects with their confirmed and disbursed amounts and next report due: three
    grouped queries a page."""
    ids = [p.id for p in projects]
    committed = (
        dict(
            session.execute(
                sa.select(col(Commitment.project_id), sa.func.sum(col(Commitment.amount)))
                .where(
                    col(Commitment.project_id).in_(ids),
                    col(Commitment.status) == CommitmentStatus.CONFIRMED,
                )
                .group_by(col(Commitment.project_id))
            ).all()
        )
        if ids
        else {}
    )
    disbursed = (
        dict(
            session.execute(
                sa.select(col(Disbursement.project_id), sa.func.sum(col(Disbursement.amount)))
                .where(col(Disbursement.project_id).in_(ids))
                .group_by(col(Disbursement.project_id))
            ).all()
        )
        if ids
        else {}
    )
    next_due = (
        dict(
            session.execute(
                sa.select(col(Report.project_id), sa.func.min(col(Report.due_on)))
                .where(col(Report.project_id).in_(ids), col(Report.status).in_(OPEN_REPORTS))
                .group_by(col(Report.project_id))
            ).all()
        )
        if ids
        else {}
    )
    return [
        ProjectPublic(
            id=p.id or 0,
            proposal_id=p.proposal_id,
            call_id=p.call_id,
            organisation_id=p.organisation_id,
            title=p.title,
            status=p.status,
            granted_amount=p.granted_amount,
            committed_amount=committed.get(p.id) or ZERO,
            disbursed_amount=disbursed.get(p.id) or ZERO,
            balance=p.balance,
            next_report_due_on=next_due.get(p.id),
            start_date=p.start_date,
            end_date=p.end_date,
            version=p.version,
            created_at=p.created_at,
        )
        for p in projects
    ]


def to_public(session: Session, project: Project) -> ProjectPublic:
    return to_public_many(session, [project])[0]
