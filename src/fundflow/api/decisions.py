from typing import Annotated, Any

from fastapi import Depends, Query

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor, require_roles
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep
from fundflow.core.formats import ExportFormat, FormatQuery, csv_response
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.decisions import service, sessions
from fundflow.decisions.schemas import (
    ConditionPublic,
    ConditionUpdate,
    DecisionPublic,
    Minutes,
    SessionCreate,
    SessionPublic,
)
from fundflow.proposals.service import get_proposal

router = api_router(tags=["decisions"])
CommissionOrSecretariat = Annotated[
    Actor, Depends(require_roles(Role.SECRETARIAT, Role.COMMISSION))
]


@router.get("/proposals/{proposal_id}/decision", response_model=DecisionPublic)
def get_decision(proposal_id: Id, session: SessionDep, actor: CurrentActor) -> DecisionPublic:
    """The decision on a proposal: outcome, amount, conditions, rationale; scores and the
    rules it was taken under for staff only."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.decision_for(session, actor=actor, proposal=proposal)


@router.patch(
    "/proposals/{proposal_id}/decision/conditions/{condition_id}", response_model=ConditionPublic
)
def update_condition(
    proposal_id: Id,
    condition_id: Id,
    body: ConditionUpdate,
    session: SessionDep,
    actor: SecretariatActor,
) -> ConditionPublic:
    """Tick (or reopen) a condition of a conditional approval (secretariat)."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.update_condition(
        session, actor=actor, proposal=proposal, condition_id=condition_id, data=body
    )


@router.post("/sessions", response_model=SessionPublic, status_code=201, tags=["commission"])
def create_session(
    body: SessionCreate, session: SessionDep, actor: SecretariatActor, idem: IdempotencyDep
) -> SessionPublic:
    """Record a commission session and the members present (secretariat)."""
    return idem.once(
        lambda: sessions.session_public(
            session, sessions.create_session(session, actor=actor, data=body)
        )
    )


@router.get("/sessions", response_model=Page[SessionPublic], tags=["commission"])
def list_sessions(
    session: SessionDep,
    _: CommissionOrSecretariat,
    page: PageDep,
    call_id: Annotated[Id | None, Query()] = None,
) -> Page[SessionPublic]:
    """Commission sessions."""
    rows, cursor = sessions.list_sessions(session, page=page, call_id=call_id)
    return Page(items=sessions.sessions_public(session, rows), next_cursor=cursor)


@router.get("/sessions/{session_id}", response_model=SessionPublic, tags=["commission"])
def get_session(session_id: Id, session: SessionDep, _: CommissionOrSecretariat) -> SessionPublic:
    """One commission session."""
    return sessions.session_public(
        session, sessions.get_session_row(session, session_id=session_id)
    )


@router.get(
    "/sessions/{session_id}/minutes",
    response_model=Minutes,
    tags=["commission"],
    responses={200: {"content": {"text/csv": {}}}},
)
def get_minutes(
    session_id: Id,
    session: SessionDep,
    _: CommissionOrSecretariat,
    export: FormatQuery = ExportFormat.JSON,
) -> Any:
    """The decisions taken in a session with scores and rationales (JSON or CSV)."""
    result = sessions.minutes(session, row=sessions.get_session_row(session, session_id=session_id))
    if export == ExportFormat.CSV:
        return csv_response(sessions.minutes_csv(result), filename=f"minutes-{session_id}.csv")
    return result
