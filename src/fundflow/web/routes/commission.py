"""The secretariat runs the commission's work on a call: the assignment board (the
automatic assignment, each member's load, conflicts and declined reviews, an assignment by
hand), the ranking with its budget line and calibration, and the commission's sessions —
the agenda, decisions entered during the session through the proposal's ``decide``, and the
minutes to print and as CSV."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from fundflow.calls import service as calls
from fundflow.calls.models import Call
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, RuleViolation, not_found
from fundflow.core.formats import csv_response
from fundflow.core.messages import N_
from fundflow.core.pagination import PageParams
from fundflow.decisions import sessions as decisions
from fundflow.decisions.models import CommissionSession
from fundflow.decisions.schemas import SessionCreate
from fundflow.organisations.service import organisation_names
from fundflow.proposals import service as proposals
from fundflow.proposals.models import ProposalStatus
from fundflow.reviews import policies as review_policies
from fundflow.reviews import ranking_service
from fundflow.reviews import service as reviews
from fundflow.reviews.board import board
from fundflow.reviews.schemas import AssignmentRequest
from fundflow.web import nested_forms
from fundflow.web.changes import attempt
from fundflow.web.deps import SignedInDep, SignedInViewer, require_secretariat
from fundflow.web.forms import FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep
from fundflow.web.workflows import PROPOSAL

router = APIRouter()

COMMISSION_WORK = N_("The commission's work is run by the secretariat.")


def _call_for_secretariat(session: Session, viewer: SignedInViewer, call_id: int) -> Call:
    require_secretariat(viewer, COMMISSION_WORK)
    return calls.get_call(session, actor=viewer.actor, call_id=call_id)


def _board_page(
    request: Request,
    session: Session,
    call: Call,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    shown = board(session, call=call)
    context = {
        "call": call,
        "board": shown,
        "names": {load.member.id: load.member.user.full_name for load in shown.loads},
        "errors": errors or FormErrors(),
        "typed": typed or {},
    }
    return render(request, "assignment_board.html", context, status_code=400 if errors else 200)


@router.get("/appels/{call_id}/attributions")
def assignment_board(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    return _board_page(request, session, _call_for_secretariat(session, viewer, call_id))


@router.post("/appels/{call_id}/attributions")
def assign_automatically(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    call = _call_for_secretariat(session, viewer, call_id)
    typed = {"reviewers_per_proposal": str(form.get("reviewers_per_proposal") or "").strip()}
    try:
        wanted = AssignmentRequest.model_validate(typed)
    except ValidationError as invalid:
        return _board_page(request, session, call, nested_forms.errors_of(invalid), typed)
    created, unfilled = attempt(
        session,
        lambda: reviews.assign_for_call(
            session, actor=viewer.actor, call=call, per_proposal=wanted.reviewers_per_proposal
        ),
    )
    missing = sum(u.missing for u in unfilled)
    return RedirectResponse(
        f"/appels/{call_id}/attributions?attribuees={len(created)}&manquantes={missing}",
        status_code=303,
    )


@router.post("/appels/{call_id}/attributions/main")
def assign_by_hand(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    call = _call_for_secretariat(session, viewer, call_id)
    proposal_id = str(form.get("proposal_id") or "")
    field = f"reviewer-{proposal_id}"
    reviewer = str(form.get("reviewer_id") or "")
    errors = FormErrors()
    if not (proposal_id.isdigit() and reviewer.isdigit()):
        errors.add(field, N_("Choose a member of the commission."))
        return _board_page(request, session, call, errors)
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=int(proposal_id))
    if proposal.call_id != call.id:
        errors.add(field, N_("This proposal is not one of the call's."))
        return _board_page(request, session, call, errors)
    try:
        attempt(
            session,
            lambda: reviews.assign_reviewer(
                session, actor=viewer.actor, proposal=proposal, reviewer_id=int(reviewer)
            ),
        )
    except RuleViolation as refused:
        for item in refused.errors:
            errors.add(field, item.get("message", ""))
    except Conflict as conflict:
        errors.add(field, conflict.detail or N_("This member cannot be assigned."))
    if errors:
        return _board_page(request, session, call, errors)
    return RedirectResponse(
        f"/appels/{call_id}/attributions?ajoute={proposal_id}#p{proposal_id}", status_code=303
    )


@router.post("/appels/{call_id}/attributions/retrait")
def withdraw_assignment(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    """An assignment the member has not started taken back, to give it to another."""
    call = _call_for_secretariat(session, viewer, call_id)
    review_id = str(form.get("review_id") or "")
    review = reviews.get_review(
        session, actor=viewer.actor, review_id=int(review_id) if review_id.isdigit() else 0
    )
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=review.proposal_id)
    if proposal.call_id != call.id:
        raise not_found("Review", review_id)
    try:
        attempt(
            session, lambda: reviews.withdraw_assignment(session, actor=viewer.actor, review=review)
        )
    except Conflict as refused:
        errors = FormErrors()
        errors.add(f"reviewer-{proposal.id}", refused.detail)
        return _board_page(request, session, call, errors)
    return RedirectResponse(
        f"/appels/{call_id}/attributions?retire={proposal.id}#p{proposal.id}", status_code=303
    )


@router.get("/appels/{call_id}/classement")
def ranking_page(
    request: Request, call_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    """The secretariat sees the whole ranking and the calibration; a commission member the
    ranking once their own reviews are in, without the proposals they are tied to."""
    review_policies.require_review_reader(viewer.actor)
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    hidden = review_policies.hidden_ranking_rows(session, viewer.actor, call)
    result = ranking_service.ranking(session, call=call).without(hidden)
    secretariat = not hidden and viewer.actor.has("secretariat")
    context = {
        "call": call,
        "ranking": result,
        "organisations": organisation_names(session, (e.organisation_id for e in result.entries)),
        "calibration": ranking_service.calibration(session, call=call) if secretariat else None,
        "criteria": call.criteria,
    }
    return render(request, "ranking.html", context)


@router.get("/appels/{call_id}/classement.csv")
def ranking_csv(call_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    review_policies.require_review_reader(viewer.actor)
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    hidden = review_policies.hidden_ranking_rows(session, viewer.actor, call)
    result = ranking_service.ranking(session, call=call).without(hidden)
    return csv_response(
        ranking_service.ranking_csv(result, call.criteria), filename=f"classement-{call_id}.csv"
    )


# --- sessions ----------------------------------------------------------------------------


def _sessions_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    errors: FormErrors | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    rows, _ = decisions.list_sessions(session, page=PageParams(limit=100))
    held, _ = calls.list_calls(session, actor=viewer.actor, page=PageParams(limit=100))
    context = {
        "sessions": sorted(
            decisions.sessions_public(session, rows), key=lambda s: s.held_on, reverse=True
        ),
        "calls": held,
        "members": reviews.commission_members(session),
        "errors": errors or FormErrors(),
        "typed": typed or {"members_present": []},
        "today": date.today(),
    }
    return render(request, "sessions.html", context, status_code=400 if errors else 200)


@router.get("/seances")
def sessions(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    require_secretariat(viewer, COMMISSION_WORK)
    return _sessions_page(request, session, viewer)


@router.post("/seances")
def create_session(
    request: Request, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    require_secretariat(viewer, COMMISSION_WORK)
    typed: dict[str, Any] = {
        name: str(form.get(name) or "").strip()
        for name in ("title", "held_on", "call_id", "location")
    }
    typed["members_present"] = [str(v) for v in form.getlist("members_present")]
    errors = FormErrors()
    try:
        data = SessionCreate.model_validate(
            {key: value for key, value in typed.items() if value not in ("", [])}
        )
        row = attempt(
            session, lambda: decisions.create_session(session, actor=viewer.actor, data=data)
        )
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except RuleViolation as refused:
        for item in refused.errors:
            errors.add("members_present-0", item.get("message", ""))
    if errors:
        return _sessions_page(request, session, viewer, errors, typed)
    return RedirectResponse(f"/seances/{row.id}", status_code=303)


def _session_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    row: CommissionSession,
    errors: FormErrors | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    agenda = []
    currency = "CHF"
    if row.call_id is not None:
        call = calls.get_call(session, actor=viewer.actor, call_id=row.call_id)
        currency = call.currency
        ranked = ranking_service.ranking(session, call=call)
        waiting = {ProposalStatus.IN_REVIEW, ProposalStatus.DEFERRED}
        ids = [e.proposal_id for e in ranked.entries if ranked.statuses[e.proposal_id] in waiting]
        loaded = {p.id: p for p in proposals.proposals_by_ids(session, actor=viewer.actor, ids=ids)}
        for entry in ranked.entries:
            proposal = loaded.get(entry.proposal_id)
            if proposal is None:
                continue
            forms = PROPOSAL.forms(session, viewer, proposal, only="decide")
            agenda.append((entry, proposal, forms))
    context = {
        "meeting": decisions.session_public(session, row),
        "agenda": agenda,
        "currency": currency,
        "organisations": organisation_names(session, (e.organisation_id for e, _, _ in agenda)),
        "minutes": decisions.minutes(session, row=row),
        "errors": errors or FormErrors(),
        "typed": typed or {},
    }
    return render(request, "session.html", context, status_code=400 if errors else 200)


@router.get("/seances/{session_id}")
def session_page(
    request: Request, session_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    require_secretariat(viewer, COMMISSION_WORK)
    row = decisions.get_session_row(session, session_id=session_id)
    return _session_page(request, session, viewer, row)


@router.post("/seances/{session_id}/decisions")
def decide_in_session(
    request: Request, session_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    """A decision entered during the session: the proposal's ``decide``, carrying the
    session's number."""
    require_secretariat(viewer, COMMISSION_WORK)
    row = decisions.get_session_row(session, session_id=session_id)
    proposal_id = str(form.get("proposal_id") or "")
    proposal = proposals.get_proposal(
        session, actor=viewer.actor, proposal_id=int(proposal_id) if proposal_id.isdigit() else 0
    )
    # A decision entered here is this session's, whatever the form says.
    in_session = FormData(
        [*((k, v) for k, v in form.multi_items() if k != "session_id"), ("session_id", str(row.id))]
    )
    taken = PROPOSAL.take(session, viewer, proposal, in_session, prefix=f"p{proposal.id}-")
    if taken.errors:
        typed = {"proposal_id": proposal.id} | taken.typed
        return _session_page(request, session, viewer, row, taken.errors, typed)
    return RedirectResponse(f"/seances/{session_id}?decide={proposal.id}#pv", status_code=303)


@router.get("/seances/{session_id}/proces-verbal")
def minutes_page(
    request: Request, session_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    review_policies.require_review_reader(viewer.actor)
    row = decisions.get_session_row(session, session_id=session_id)
    return render(request, "minutes.html", {"minutes": decisions.minutes(session, row=row)})


@router.get("/seances/{session_id}/proces-verbal.csv")
def minutes_csv(session_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    review_policies.require_review_reader(viewer.actor)
    row = decisions.get_session_row(session, session_id=session_id)
    return csv_response(
        decisions.minutes_csv(decisions.minutes(session, row=row)),
        filename=f"proces-verbal-{session_id}.csv",
    )
