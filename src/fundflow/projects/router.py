from typing import Annotated

from fastapi import APIRouter, Query

from fundflow.accounts.deps import CurrentActor
from fundflow.core.deps import SessionDep
from fundflow.core.pagination import Page, PageDep
from fundflow.projects import service
from fundflow.projects.models import ProjectStatus
from fundflow.projects.schemas import ProjectPublic

router = APIRouter(tags=["projects"])


@router.get("/projects", response_model=Page[ProjectPublic])
def list_projects(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    call_id: Annotated[int | None, Query()] = None,
    status: Annotated[ProjectStatus | None, Query()] = None,
    organisation_id: Annotated[int | None, Query()] = None,
) -> Page[ProjectPublic]:
    """Projects the caller may see."""
    rows, cursor = service.list_projects(
        session,
        actor=actor,
        page=page,
        call_id=call_id,
        status=status,
        organisation_id=organisation_id,
    )
    return Page(items=[service.to_public(r) for r in rows], next_cursor=cursor)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
def get_project(project_id: int, session: SessionDep, actor: CurrentActor) -> ProjectPublic:
    """One project."""
    return service.to_public(service.get_project(session, actor=actor, project_id=project_id))
