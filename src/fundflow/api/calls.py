from typing import Annotated

from fastapi import Query

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.calls import policies, service
from fundflow.calls.models import CallKind, CallStatus
from fundflow.calls.schemas import CallCreate, CallPublic, CallUpdate
from fundflow.calls.workflow import CALL_MACHINE
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router

router = api_router(tags=["calls"])


@router.post("/calls", response_model=CallPublic, status_code=201)
def create_call(
    body: CallCreate, session: SessionDep, actor: SecretariatActor, idem: IdempotencyDep
) -> CallPublic:
    """Create a draft call; omitted rules, reporting and tranches take the kind's defaults."""
    return idem.once(
        lambda: service.to_public(service.create_call(session, actor=actor, data=body))
    )


@router.get("/calls", response_model=Page[CallPublic])
def list_calls(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    status: Annotated[CallStatus | None, Query()] = None,
    kind: Annotated[CallKind | None, Query()] = None,
    year: Annotated[Id | None, Query()] = None,
) -> Page[CallPublic]:
    """Calls (drafts only for the secretariat)."""
    rows, cursor = service.list_calls(
        session, actor=actor, page=page, status=status, kind=kind, year=year
    )
    return Page(items=[service.to_public(r) for r in rows], next_cursor=cursor)


@router.get("/calls/{call_id}", response_model=CallPublic)
def get_call(call_id: Id, session: SessionDep, actor: CurrentActor) -> CallPublic:
    """One call with its priorities, criteria, rules, reporting cadence and tranche plan."""
    return service.to_public(service.get_call(session, actor=actor, call_id=call_id))


@router.patch("/calls/{call_id}", response_model=CallPublic)
def update_call(
    call_id: Id, body: CallUpdate, session: SessionDep, actor: SecretariatActor
) -> CallPublic:
    """Edit a draft call (secretariat)."""
    call = service.get_call(session, actor=actor, call_id=call_id)
    return service.to_public(service.update_call(session, actor=actor, call=call, data=body))


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="calls",
        id_name="call_id",
        machine=CALL_MACHINE,
        load=lambda session, actor, call_id: service.get_call(
            session, actor=actor, call_id=call_id
        ),
        acting_roles=policies.acting_roles,
        to_public=lambda _session, _actor, call: service.to_public(call),
    ),
    response_model=CallPublic,
)
