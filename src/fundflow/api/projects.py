from typing import Annotated

from fastapi import Query

from fundflow.api.deps import CurrentActor
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router, quick_read
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.projects import policies, service
from fundflow.projects.models import ProjectStatus
from fundflow.projects.schemas import ProjectPublic

router = api_router(tags=["projects"])


@router.get("/projects", response_model=Page[ProjectPublic])
def list_projects(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    call_id: Annotated[Id | None, Query()] = None,
    status: Annotated[ProjectStatus | None, Query()] = None,
    organisation_id: Annotated[Id | None, Query()] = None,
) -> Page[ProjectPublic]:
    """Projects the caller may see."""
    items, cursor = service.read_projects(
        session,
        actor=actor,
        page=page,
        call_id=call_id,
        status=status,
        organisation_id=organisation_id,
    )
    return Page(items=items, next_cursor=cursor)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
@quick_read
def get_project(project_id: Id, session: SessionDep, actor: CurrentActor) -> ProjectPublic:
    """One project with its committed and disbursed amounts."""
    return service.read_project(session, project_id, actor)


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="projects",
        id_name="project_id",
        machine=PROJECT_MACHINE,
        load=lambda session, actor, pid: service.get_project(session, actor=actor, project_id=pid),
        acting_roles=policies.acting_roles,
        to_public=lambda session, _actor, project: service.to_public(session, project),
    ),
    response_model=ProjectPublic,
)
