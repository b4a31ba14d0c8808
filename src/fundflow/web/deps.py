"""Who is looking at a page, and in which language.

The browser's session cookie is looked up once per page; the person's language, the
language cookie and ``Accept-Language`` decide the language. Both are kept on
``request.state`` for the templates. A page for signed-in people sends anyone else to the
sign-in page, and back after.
"""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from fundflow.accounts.browser_sessions import (
    BrowserSignIn,
    browser_sign_in,
    needs_touch,
    touch,
)
from fundflow.accounts.models import SessionRestriction, User
from fundflow.core.actor import Actor
from fundflow.core.database import writing_beside
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role
from fundflow.web.i18n import LANGUAGE_COOKIE, choose_language

SESSION_COOKIE = "fundflow_session"


class SignInRequired(Exception):
    """Answered with a redirect to the sign-in page, which comes back to ``next_path``."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"/connexion?next={quote(self.next_path, safe='/')}"


TWO_FACTOR_PAGE = "/compte/double-authentification"
# The sign-in's second step.
CODE_PAGE = "/connexion/code"


class TwoFactorSetUpRequired(SignInRequired):
    """The person's role requires a second factor and their grace period is over: every
    page but setting it up sends them there."""

    @property
    def location(self) -> str:
        return TWO_FACTOR_PAGE


@dataclass(frozen=True)
class Viewer:
    sign_in: BrowserSignIn | None
    user: User | None
    language: str
    # A browser that gave the right password and is asked for its second factor's code:
    # signed in for nothing else.
    awaiting_code: BrowserSignIn | None = None

    @property
    def actor(self) -> Actor | None:
        """Whom the public pages show more to: nobody, for a session that must set up a
        second factor first."""
        if self.sign_in is None or self.sign_in.restriction is not None:
            return None
        return self.sign_in.actor


def viewer(request: Request, session: SessionDep, settings: SettingsDep) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE, "")
    sign_in = browser_sign_in(session, settings, token) if token else None
    awaiting_code = None
    if sign_in is not None and sign_in.restriction == SessionRestriction.SECOND_FACTOR:
        awaiting_code, sign_in = sign_in, None
    user = sign_in.user if sign_in else None
    if sign_in is not None and needs_touch(sign_in):
        with writing_beside(session) as writer:
            touch(writer, session_id=sign_in.session_id)
    language = choose_language(
        user.language if user else None,
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )
    request.state.sign_in = sign_in
    request.state.user = user
    request.state.language = language
    return Viewer(sign_in, user, language, awaiting_code)


ViewerDep = Annotated[Viewer, Depends(viewer)]


@dataclass(frozen=True)
class SignedInViewer:
    sign_in: BrowserSignIn
    user: User
    language: str

    @property
    def actor(self) -> Actor:
        return self.sign_in.actor


def signed_in_viewer_at_any_stage(request: Request, seen: ViewerDep) -> SignedInViewer:
    if seen.sign_in is None or seen.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return SignedInViewer(seen.sign_in, seen.user, seen.language)


# Only for the pages that set up a second factor.
SignedInAtAnyStageDep = Annotated[SignedInViewer, Depends(signed_in_viewer_at_any_stage)]


def signed_in_viewer(viewer: SignedInAtAnyStageDep) -> SignedInViewer:
    if viewer.sign_in.restriction == SessionRestriction.ENROLMENT:
        raise TwoFactorSetUpRequired(TWO_FACTOR_PAGE)
    return viewer


SignedInDep = Annotated[SignedInViewer, Depends(signed_in_viewer)]


def require_secretariat(viewer: SignedInViewer, reason: str) -> None:
    """A page of the secretariat's: anyone else gets 403 with ``reason`` (a catalogue
    text)."""
    if not viewer.actor.has(Role.SECRETARIAT):
        raise Forbidden(reason)
