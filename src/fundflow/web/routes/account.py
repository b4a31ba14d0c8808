"""A person's own sign-ins: every browser and API token signed in, each to end, or all."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fundflow.accounts import sessions
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import MAX_LIMIT, PageParams
from fundflow.web.deps import SESSION_COOKIE, SignedInDep
from fundflow.web.rendering import render

router = APIRouter()

PAGE = "/compte/sessions"


def _user_id(viewer: SignedInDep) -> int:
    assert viewer.user.id is not None
    return viewer.user.id


@router.get(PAGE)
def sign_ins(
    request: Request, session: SessionDep, settings: SettingsDep, viewer: SignedInDep
) -> Response:
    rows, more = sessions.live_sessions(
        session, user_id=_user_id(viewer), settings=settings, page=PageParams(limit=MAX_LIMIT)
    )
    context = {"sessions": rows, "current_id": viewer.sign_in.session_id, "more": more}
    return render(request, "sign_ins.html", context)


@router.post(PAGE + "/{session_id}/fin")
def end_one(session_id: Id, session: SessionDep, viewer: SignedInDep) -> Response:
    sessions.end_own_session(session, user_id=_user_id(viewer), session_id=session_id)
    if session_id == viewer.sign_in.session_id:
        return _signed_out()
    return RedirectResponse(PAGE + "?ended=1", status_code=303)


@router.post(PAGE + "/fin-ailleurs")
def end_elsewhere(session: SessionDep, viewer: SignedInDep) -> Response:
    sessions.end_all_sessions(
        session, user_id=_user_id(viewer), keep_session_id=viewer.sign_in.session_id
    )
    return RedirectResponse(PAGE + "?ended=1", status_code=303)


@router.post(PAGE + "/fin")
def end_everywhere(session: SessionDep, viewer: SignedInDep) -> Response:
    sessions.end_all_sessions(session, user_id=_user_id(viewer))
    return _signed_out()


def _signed_out() -> Response:
    response = RedirectResponse("/connexion?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")
    return response
