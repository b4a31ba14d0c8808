"""The secretariat's case file of a proposal: what it says, what its call's rules find,
its timeline (the audit events, in words) and the actions the transition table allows now,
each a form built from the action's payload schema and taken through the same engine as
``POST /proposals/{id}/transitions``."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from fundflow.accounts.service import full_names
from fundflow.calls import service as calls
from fundflow.core.deps import SessionDep
from fundflow.core.messages import N_
from fundflow.core.pagination import PageParams
from fundflow.core.transitions import list_events
from fundflow.proposals import service as proposals
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.schemas import VerdictIn
from fundflow.proposals.similarity.screening import to_weigh
from fundflow.proposals.similarity.service import find_similar, record_verdict, similar_requests
from fundflow.proposals.worklist import worklist
from fundflow.web.changes import attempt
from fundflow.web.deps import SignedInDep, SignedInViewer, require_secretariat
from fundflow.web.forms import FormErrors
from fundflow.web.proposal_sections import failures
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep
from fundflow.web.routes.submission import answers_of
from fundflow.web.workflows import PROPOSAL

router = APIRouter()

TIMELINE = 200


def _require_secretariat(viewer: SignedInViewer) -> None:
    require_secretariat(viewer, N_("The case files are the secretariat's."))


def _case_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    proposal: Proposal,
    errors: FormErrors,
    typed: dict[str, Any],
    status_code: int = 200,
) -> Response:
    assert proposal.id is not None
    events, _ = list_events(
        session, entity_type="proposal", entity_id=proposal.id, page=PageParams(limit=TIMELINE)
    )
    options = PROPOSAL.forms(session, viewer, proposal)
    context = answers_of(session, viewer, proposal) | {
        "failures": failures(proposals.eligibility_checks(session, proposal)),
        "events": events,
        "names": full_names(session, {e.actor_id for e in events if e.actor_id is not None}),
        "options": options,
        "similar": similar_requests(session, actor=viewer.actor, proposal=proposal),
        "errors": errors,
        "typed": typed,
    }
    return render(request, "case_file.html", context, status_code=status_code)


QUEUE = 50


@router.get("/dossiers")
def worklist_page(
    request: Request,
    session: SessionDep,
    viewer: SignedInDep,
    appel: Annotated[str, Query()] = "",
    etat: Annotated[str, Query()] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    apres: Annotated[str, Query()] = "",
) -> Response:
    """Every proposal the secretariat sees, newest first, filtered by call, state and a
    word of the title or the association's name; 50 a page."""
    _require_secretariat(viewer)
    states = {state.value for state in ProposalStatus}
    listed = worklist(
        session,
        actor=viewer.actor,
        call_id=int(appel) if appel.isdigit() else None,
        status=ProposalStatus(etat) if etat in states else None,
        search=q.strip() or None,
        after=int(apres) if apres.isdigit() else None,
    )
    context = {
        "listed": listed,
        "calls": calls.call_titles(session, actor=viewer.actor),
        "chosen": {"appel": appel, "etat": etat if etat in states else "", "q": q.strip()},
    }
    return render(request, "worklist.html", context)


@router.get("/depot")
def screening_queue(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    """The submitted proposals waiting for screening: each with what the call's rules find,
    the similar requests to weigh and whether other funding was declared."""
    _require_secretariat(viewer)
    waiting = proposals.proposals_in_state(
        session, actor=viewer.actor, status=ProposalStatus.SUBMITTED, limit=QUEUE
    )
    rows = []
    for proposal in waiting:
        matches = find_similar(session, proposal)
        checks = proposals.eligibility_checks(session, proposal, matches)
        rows.append(
            {
                "proposal": proposal,
                "unmet": sum(1 for check in checks if not check.passed),
                "similar": to_weigh(matches),
            }
        )
    return render(request, "screening.html", {"rows": rows})


@router.get("/dossiers/{proposal_id}")
def case_file(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    _require_secretariat(viewer)
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    return _case_page(request, session, viewer, proposal, FormErrors(), {})


@router.post("/dossiers/{proposal_id}/actions")
def proposal_action(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    _require_secretariat(viewer)
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    taken = PROPOSAL.take(session, viewer, proposal, form)
    if taken.errors:
        return _case_page(request, session, viewer, proposal, taken.errors, taken.typed, 400)
    return RedirectResponse(f"/dossiers/{proposal_id}?fait={taken.action}", status_code=303)


@router.post("/dossiers/{proposal_id}/similaires/{other_id}")
def weigh_similar_request(
    request: Request,
    proposal_id: int,
    other_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    form: FormDep,
) -> Response:
    """The secretariat's word on a similar request: the same project, or a different one
    (which lifts the double-funding block), with what the check found."""
    _require_secretariat(viewer)
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    typed = {key: str(form.get(key) or "").strip() for key in ("verdict", "comment")}
    errors = FormErrors()
    try:
        data = VerdictIn.model_validate(typed)
        attempt(
            session,
            lambda: record_verdict(
                session, actor=viewer.actor, proposal=proposal, other_id=other_id, data=data
            ),
        )
    except ValidationError as invalid:
        for item in invalid.errors():
            field = str(item["loc"][0])
            errors.add(f"verdict-{other_id}-{field}", _VERDICT_FIELDS.get(field, item["msg"]))
    if errors:
        typed["other"] = str(other_id)
        return _case_page(request, session, viewer, proposal, errors, typed, 400)
    return RedirectResponse(f"/dossiers/{proposal_id}?pese={other_id}#similaires", status_code=303)


_VERDICT_FIELDS = {
    "verdict": N_("Say whether it is the same project or a different one."),
    "comment": N_("Say what the check found."),
}
