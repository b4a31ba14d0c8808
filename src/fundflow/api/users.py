from typing import Annotated

from fastapi import Query, Response

from fundflow.accounts.schemas import SessionsEnded, UserPublic
from fundflow.api.deps import AdminActor, IdempotencyDep
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.users import service
from fundflow.users.schemas import UserCreate, UserUpdate

router = api_router(tags=["users"])


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(
    body: UserCreate, session: SessionDep, _: AdminActor, idem: IdempotencyDep
) -> UserPublic:
    """Create a user with one or more roles (admin)."""
    return idem.once(lambda: UserPublic.model_validate(service.create_user(session, data=body)))


@router.get("/users", response_model=Page[UserPublic])
def list_users(
    session: SessionDep, _: AdminActor, page: PageDep, role: Annotated[Role | None, Query()] = None
) -> Page[UserPublic]:
    """List users (admin), optionally those holding one role."""
    users, cursor = service.list_users(session, page=page, role=role)
    return Page(items=[UserPublic.model_validate(u) for u in users], next_cursor=cursor)


@router.get("/users/{user_id}", response_model=UserPublic)
def get_user(user_id: Id, session: SessionDep, _: AdminActor) -> UserPublic:
    """One user (admin)."""
    return UserPublic.model_validate(service.get_user(session, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: Id, body: UserUpdate, session: SessionDep, _: AdminActor) -> UserPublic:
    """Change a user's name, roles, links, language, password or deactivate them (admin)."""
    user = service.get_user(session, user_id=user_id)
    return UserPublic.model_validate(service.update_user(session, user=user, data=body))


@router.delete("/users/{user_id}/sessions", response_model=SessionsEnded)
def end_user_sessions(user_id: Id, session: SessionDep, actor: AdminActor) -> SessionsEnded:
    """End every live session of a user (admin): a stolen laptop, a person leaving; each
    of their tokens and browsers is refused from its next request on. Recorded in the
    audit trail."""
    user = service.get_user(session, user_id=user_id)
    return SessionsEnded(ended=service.end_user_sessions(session, actor=actor, user=user))


@router.delete("/users/{user_id}/two-factor", status_code=204)
def reset_two_factor(user_id: Id, session: SessionDep, actor: AdminActor) -> Response:
    """Forget a user's second factor when they lost their phone and recovery codes
    (admin), after checking who asks: their sessions end, they sign in with their password
    and set up a new one. Recorded in the audit trail."""
    user = service.get_user(session, user_id=user_id)
    service.reset_two_factor(session, actor=actor, user=user)
    return Response(status_code=204)
