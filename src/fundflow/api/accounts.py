from typing import Annotated

from fastapi import Depends, Form, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from fundflow.accounts import service, sessions, two_factor
from fundflow.accounts.models import User
from fundflow.accounts.schemas import (
    OtpCode,
    OtpIn,
    RecoveryCodes,
    SessionsEnded,
    SignInSessionPublic,
    Token,
    TwoFactorEnrolment,
    TwoFactorStatus,
    UserPublic,
)
from fundflow.api.deps import CurrentActor, CurrentSignIn, SignedIn, SignInAtAnyStage
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import Unauthenticated
from fundflow.core.inputs import Id
from fundflow.core.messages import N_
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router, quick_read

router = api_router()


@router.post("/auth/token", response_model=Token, tags=["auth"])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    otp: Annotated[
        OtpCode | None,
        Form(description="The code of the authenticator app, or a recovery code"),
    ] = None,
) -> Token:
    """Exchange an e-mail and password for a bearer token, valid until it expires or its
    session ends (`POST /auth/logout`, a new password, a deactivated account).
    An account with a second factor set up also needs `otp`: without it, 401 of type
    `…:otp-required`; a wrong or already used code counts as a failed sign-in.
    FUNDFLOW_LOGIN_MAX_FAILURES failures for one account from one client address, or
    FUNDFLOW_LOGIN_MAX_FAILURES_PER_ADDRESS from one address for any accounts, lock that
    for FUNDFLOW_LOGIN_LOCKOUT_MINUTES: 429 with Retry-After. A role that requires a second
    factor, without one past its grace period, gets a token good only for setting it up
    (`/me/two-factor`)."""
    client_address = request.client.host if request.client else "unknown"
    user = service.authenticate(
        session,
        email=form.username,
        password=form.password,
        client_address=client_address,
        settings=settings,
        otp=otp,
    )
    token, lifetime = sessions.issue_token(
        session,
        settings,
        user=user,
        client_address=client_address,
        user_agent=request.headers.get("user-agent"),
        restriction=two_factor.restriction_at_sign_in(session, user, settings),
    )
    return Token(access_token=token, expires_in=lifetime)


@router.post("/auth/logout", status_code=204, tags=["auth"])
def logout(session: SessionDep, sign_in: SignInAtAnyStage) -> Response:
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


def _user(session: SessionDep, sign_in: SignedIn) -> User:
    user = session.get(User, sign_in.user_id)
    if user is None:
        raise Unauthenticated(N_("This account no longer exists."))
    return user


@router.get("/me/two-factor", response_model=TwoFactorStatus, tags=["auth"])
def my_two_factor(
    session: SessionDep, settings: SettingsDep, sign_in: SignInAtAnyStage
) -> TwoFactorStatus:
    """Whether the caller's sign-in asks for a second factor, whether their role requires
    one (and by when), and how many recovery codes are left."""
    status = two_factor.status_of(session, _user(session, sign_in), settings)
    return TwoFactorStatus.model_validate(status)


@router.post("/me/two-factor", response_model=TwoFactorEnrolment, status_code=201, tags=["auth"])
def begin_two_factor(session: SessionDep, sign_in: SignInAtAnyStage) -> TwoFactorEnrolment:
    """Start setting up an authenticator app (TOTP, 30-second codes of 6 digits): a new
    secret, as a QR code and as text. It takes effect once confirmed with a first code
    (`/me/two-factor/confirm`); 409 when one is set up already."""
    enrolment = two_factor.begin(session, _user(session, sign_in))
    return TwoFactorEnrolment(
        secret=enrolment.secret,
        otpauth_uri=enrolment.uri,
        qr_svg=enrolment.qr_svg(title="fundflow"),
    )


@router.post("/me/two-factor/confirm", response_model=RecoveryCodes, tags=["auth"])
def confirm_two_factor(
    body: OtpIn, session: SessionDep, sign_in: SignInAtAnyStage
) -> RecoveryCodes:
    """Confirm the app with the code it shows: from now on every sign-in asks for a code.
    Answers the ten recovery codes, each good once, shown only now. A session that was
    waiting for this is free from here on."""
    codes = two_factor.confirm(session, _user(session, sign_in), body.code)
    sessions.lift_restriction(session, session_id=sign_in.session_id)
    return RecoveryCodes(codes=codes)


@router.post("/me/two-factor/recovery-codes", response_model=RecoveryCodes, tags=["auth"])
def renew_recovery_codes(body: OtpIn, session: SessionDep, sign_in: CurrentSignIn) -> RecoveryCodes:
    """Ten new recovery codes, for a current code; the earlier ones stop working."""
    return RecoveryCodes(
        codes=two_factor.renew_recovery_codes(session, _user(session, sign_in), body.code)
    )


@router.post("/me/two-factor/off", status_code=204, tags=["auth"])
def turn_off_two_factor(
    body: OtpIn, session: SessionDep, settings: SettingsDep, sign_in: CurrentSignIn
) -> Response:
    """Stop asking for a code at sign-in, for a current code; 409 when the caller's role
    requires a second factor."""
    two_factor.turn_off(session, _user(session, sign_in), body.code, settings)
    return Response(status_code=204)
