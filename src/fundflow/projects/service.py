"""Projects: funded proposals, from the approval on."""

from collections.abc import Sequence
from decimal import Decimal

from sqlmodel import Session, select

from fundflow.core.actor import Actor
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible, where_given
from fundflow.core.transitions import record_event
from fundflow.projects import policies
from fundflow.projects.models import Project, ProjectStatus
from fundflow.projects.schemas import ProjectPublic
from fundflow.proposals.models import Proposal

ZERO = Decimal("0.00")


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


def to_public(project: Project) -> ProjectPublic:
    # Commitments and disbursements arrive with co-financing; until then both are zero.
    return ProjectPublic(
        id=project.id or 0,
        proposal_id=project.proposal_id,
        call_id=project.call_id,
        organisation_id=project.organisation_id,
        title=project.title,
        status=project.status,
        granted_amount=project.granted_amount,
        committed_amount=ZERO,
        disbursed_amount=ZERO,
        start_date=project.start_date,
        end_date=project.end_date,
        version=project.version,
        created_at=project.created_at,
    )
