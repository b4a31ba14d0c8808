"""Co-financing on the pages: the secretariat's allocation of a call's approved projects
across the funders' envelopes (the plan, then its application as proposed commitments),
and the commitments per funder; a funder's staff confirm or decline their own funder's
commitments (``/engagements``), as ``POST /commitments/{id}/transitions`` does."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fundflow.calls import service as calls
from fundflow.cofinancing import allocation_service as allocation
from fundflow.cofinancing import service as commitments
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Forbidden
from fundflow.core.messages import N_
from fundflow.core.queries import names_by_id
from fundflow.core.roles import Role
from fundflow.funders.service import funder_names
from fundflow.projects.models import Project
from fundflow.web.changes import attempt
from fundflow.web.deps import SignedInDep, require_secretariat
from fundflow.web.forms import FormErrors
from fundflow.web.rendering import render
from fundflow.web.workflows import COMMITMENT

router = APIRouter()

ALLOCATION = N_("The allocation of a call is the secretariat's.")


@router.get("/appels/{call_id}/cofinancement")
def allocation_page(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    require_secretariat(viewer, ALLOCATION)
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    plan = allocation.propose_plan(session, call=call)
    projects = {line.project_id for line in plan.plan} | {u.project_id for u in plan.unfunded}
    context = {
        "call": call,
        "plan": plan,
        "projects": names_by_id(session, Project.id, Project.title, projects),
        "funders": funder_names(session, (share.funder_id for share in plan.by_funder)),
        "commitments": commitments.commitments_across(session, actor=viewer.actor, call_id=call_id),
    }
    return render(request, "allocation.html", context)


@router.post("/appels/{call_id}/cofinancement")
def apply_allocation(call_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    require_secretariat(viewer, ALLOCATION)
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    applied = attempt(
        session, lambda: allocation.apply_plan(session, actor=viewer.actor, call=call)
    )
    return RedirectResponse(
        f"/appels/{call_id}/cofinancement?proposes={len(applied.created)}", status_code=303
    )


@router.get("/engagements")
def funder_commitments(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    """A funder's staff: their funder's commitments, those to confirm first, each with the
    actions open to them."""
    if not viewer.actor.has(Role.AUTHORITY, Role.SECRETARIAT):
        raise Forbidden(N_("Commitments are confirmed by the funders' staff."))
    rows = commitments.commitments_across(session, actor=viewer.actor)
    context = {
        "rows": [(row, COMMITMENT.forms(session, viewer, row.commitment)) for row in rows],
        "no_errors": FormErrors(),
    }
    return render(request, "commitments.html", context)
