from typing import Annotated

from fastapi import Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from fundflow.accounts import service, sessions
from fundflow.accounts.deps import AdminActor, CurrentSignIn, CurrentUser
from fundflow.accounts.models import Role
from fundflow.accounts.schemas import Token, UserCreate, UserPublic, UserUpdate
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.idempotency import IdempotencyDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router

router = api_router()


@router.post("/auth/token", response_model=Token, tags=["auth"])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Exchange an e-mail and password for a bearer token, valid until it expires or its
    session ends (`POST /auth/logout`, a new password, a deactivated account).
    FUNDFLOW_LOGIN_MAX_FAILURES failures for one account from one client address, or
    FUNDFLOW_LOGIN_MAX_FAILURES_PER_ADDRESS from one address for any accounts, lock that
    for FUNDFLOW_LOGIN_LOCKOUT_MINUTES: 429 with Retry-After."""
    client_address = request.client.host if request.client else "unknown"
    user = service.authenticate(
        session,
        email=form.username,
        password=form.password,
        client_address=client_address,
        settings=settings,
    )
    token, lifetime = sessions.issue_token(
        session,
        settings,
        user=user,
        client_address=client_address,
        user_agent=request.headers.get("user-agent"),
    )
    return Token(access_token=token, expires_in=lifetime)


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(session: SessionDep, sign_in: CurrentSignIn) -> Response:
    """End this token's session: the token is refused from the next request on."""
    sessions.end_session(session, session_id=sign_in.session_id)
    return Response(status_code=204)


@router.get("/me", response_model=UserPublic, tags=["auth"])
def me(user: CurrentUser) -> UserPublic:
    """The caller's account, roles and the organisation or funder they act for."""
    return UserPublic.model_validate(user)


@router.post("/users", response_model=UserPublic, status_code=201, tags=["users"])
def create_user(
    body: UserCreate, session: SessionDep, _: AdminActor, idem: IdempotencyDep
) -> UserPublic:
    """Create a user with one or more roles (admin)."""
    return idem.once(lambda: UserPublic.model_validate(service.create_user(session, data=body)))


@router.get("/users", response_model=Page[UserPublic], tags=["users"])
def list_users(
    session: SessionDep, _: AdminActor, page: PageDep, role: Annotated[Role | None, Query()] = None
) -> Page[UserPublic]:
    """List users (admin), optionally those holding one role."""
    users, cursor = service.list_users(session, page=page, role=role)
    return Page(items=[UserPublic.model_validate(u) for u in users], next_cursor=cursor)


@router.get("/users/{user_id}", response_model=UserPublic, tags=["users"])
def get_user(user_id: Id, session: SessionDep, _: AdminActor) -> UserPublic:
    """One user (admin)."""
    return UserPublic.model_validate(service.get_user(session, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserPublic, tags=["users"])
def update_user(user_id: Id, body: UserUpdate, session: SessionDep, _: AdminActor) -> UserPublic:
    """Change a user's name, roles, links, language, password or deactivate them (admin)."""
    user = service.get_user(session, user_id=user_id)
    return UserPublic.model_validate(service.update_user(session, user=user, data=body))
