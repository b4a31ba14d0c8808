"""Signing in and out of the pages, and choosing their language."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from fundflow.accounts import service, two_factor
from fundflow.accounts.browser_sessions import open_browser_session
from fundflow.accounts.models import Language, SessionRestriction, User
from fundflow.accounts.sessions import end_session
from fundflow.core.config import Settings
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import OtpRequired, TooManyAttempts, Unauthenticated
from fundflow.web.deps import CODE_PAGE, SESSION_COOKIE, Viewer, ViewerDep
from fundflow.web.forms import N_, FormErrors
from fundflow.web.i18n import LANGUAGE_COOKIE, supported
from fundflow.web.rendering import render

router = APIRouter()

YEAR = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of ours, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/connexion")
def sign_in_form(request: Request, seen: ViewerDep, next: str = "/") -> Response:
    if seen.sign_in is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "sign_in.html", {"next": safe_next(next), "errors": FormErrors()})


@router.post("/connexion")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    seen: ViewerDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    errors = FormErrors()
    if not email.strip():
        errors.add("email", N_("Enter your e-mail address."))
    if not password:
        errors.add("password", N_("Enter your password."))
    user = None
    if not errors:
        client_address = request.client.host if request.client else "unknown"
        try:
            user = service.authenticate(
                session,
                email=email,
                password=password,
                client_address=client_address,
                settings=settings,
            )
        except OtpRequired:
            # The password was right: the code is asked on a page of its own, under a
            # session good for nothing else.
            awaiting = service.account_by_email(session, email)
            return signed_in_response(
                request,
                session,
                settings,
                user=awaiting,
                previous=seen,
                target=f"{CODE_PAGE}?next={quote(safe_next(next), safe='/')}",
                restriction=SessionRestriction.SECOND_FACTOR,
            )
        except TooManyAttempts:
            errors.add("email", N_("Too many attempts: wait a quarter of an hour and try again."))
        except Unauthenticated:
            errors.add("email", N_("The e-mail address or the password is not right."))
    if user is None:
        context = {"next": safe_next(next), "errors": errors, "email": email}
        return render(request, "sign_in.html", context, status_code=400)
    return signed_in_response(
        request,
        session,
        settings,
        user=user,
        previous=seen,
        target=safe_next(next),
        restriction=two_factor.restriction_at_sign_in(session, user, settings),
    )


def signed_in_response(
    request: Request,
    session: Session,
    settings: Settings,
    *,
    user: User,
    previous: Viewer,
    target: str,
    restriction: SessionRestriction | None,
) -> Response:
    """A new session in a new cookie (any earlier one of this browser's ends), and on to
    ``target``."""
    for earlier in (previous.sign_in, previous.awaiting_code):
        if earlier is not None:
            end_session(session, session_id=earlier.session_id)
    token = open_browser_session(
        session,
        settings,
        user=user,
        client_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        restriction=restriction,
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.browser_session_hours * 3600,
        httponly=True,
        secure=True,
        samesite="lax",
    )
    return response


@router.post("/deconnexion")
def sign_out(session: SessionDep, seen: ViewerDep) -> Response:
    for signed_in in (seen.sign_in, seen.awaiting_code):
        if signed_in is not None:
            end_session(session, session_id=signed_in.session_id)
    response = RedirectResponse("/connexion?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")
    return response


@router.post("/langue")
def choose_language(
    session: SessionDep,
    seen: ViewerDep,
    language: Annotated[str, Form(max_length=10)],
    back: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """The language switch: remembered in a cookie, and in the profile when signed in."""
    chosen = supported(language) or seen.language
    if seen.user is not None and seen.user.language != chosen:
        seen.user.language = Language(chosen)
        session.add(seen.user)
    response = RedirectResponse(safe_next(back), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, chosen, max_age=YEAR, httponly=True, secure=True, samesite="lax"
    )
    return response
