from typing import Annotated

from fastapi import Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from fundflow.accounts import service, sessions
from fundflow.accounts.schemas import SessionsEnded, SignInSessionPublic, Token, UserPublic
from fundflow.api.deps import CurrentActor, CurrentSignIn
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
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


@router.get("/me/sessions", response_model=Page[SignInSessionPublic], tags=["auth"])
def my_sessions(
    session: SessionDep, settings: SettingsDep, sign_in: CurrentSignIn, page: PageDep
) -> Page[SignInSessionPublic]:
    """The caller's live sessions, oldest first: each browser and API token signed in, when
    and from where; `current` marks this request's."""
    rows, cursor = sessions.live_sessions(
        session, user_id=sign_in.user_id, settings=settings, page=page
    )
    items = [
        SignInSessionPublic.model_validate(
            {**row.model_dump(), "current": row.id == sign_in.session_id}
        )
        for row in rows
    ]
    return Page(items=items, next_cursor=cursor)


@router.delete("/me/sessions/{session_id}", status_code=204, tags=["auth"])
def end_my_session(session_id: Id, session: SessionDep, sign_in: CurrentSignIn) -> Response:
    """End one of the caller's sessions (a lost phone, a forgotten browser): it is refused
    from its next request on."""
    sessions.end_own_session(session, user_id=sign_in.user_id, session_id=session_id)
    return Response(status_code=204)


@router.delete("/me/sessions", response_model=SessionsEnded, tags=["auth"])
def end_my_sessions(
    session: SessionDep,
    sign_in: CurrentSignIn,
    keep_current: Annotated[bool, Query(description="Keep this request's session")] = False,
) -> SessionsEnded:
    """Sign out everywhere: end every live session of the caller's, this one too unless
    `keep_current`."""
    keep = sign_in.session_id if keep_current else None
    ended = sessions.end_all_sessions(session, user_id=sign_in.user_id, keep_session_id=keep)
    return SessionsEnded(ended=ended)
