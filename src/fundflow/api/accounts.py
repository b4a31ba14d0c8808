from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from fundflow.accounts import service, sessions
from fundflow.accounts.schemas import Token, UserPublic
from fundflow.api.deps import CurrentActor, CurrentSignIn
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.routing import api_router, quick_read

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
@quick_read
def me(session: SessionDep, actor: CurrentActor) -> UserPublic:
    """The caller's account, roles and the organisation or funder they act for."""
    return service.own_account(session, actor)
