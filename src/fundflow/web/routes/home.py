"""The home page of a signed-in person: their association's proposals and the open calls."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fundflow.calls import service as calls
from fundflow.calls.models import CallStatus
from fundflow.core.deps import SessionDep
from fundflow.core.pagination import PageParams
from fundflow.core.roles import Role
from fundflow.projects import service as projects
from fundflow.proposals import service as proposals
from fundflow.web.deps import SignedInDep
from fundflow.web.rendering import render

router = APIRouter()

SHOWN = 50


@router.get("/")
def home(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    mine, _ = proposals.read_proposals(session, actor=viewer.actor, page=PageParams(limit=SHOWN))
    open_calls, _ = calls.list_calls(
        session, actor=viewer.actor, page=PageParams(limit=SHOWN), status=CallStatus.OPEN
    )
    funded, _ = projects.read_projects(session, actor=viewer.actor, page=PageParams(limit=SHOWN))
    staff_calls = (
        calls.list_calls(session, actor=viewer.actor, page=PageParams(limit=SHOWN))[0]
        if viewer.actor.has(Role.SECRETARIAT)
        else []
    )
    context = {
        "staff_calls": staff_calls,
        "projects": funded,
        "proposals": mine,
        "calls": [calls.to_public(call) for call in open_calls],
    }
    return render(request, "home.html", context)
