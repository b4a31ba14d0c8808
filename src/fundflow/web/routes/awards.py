"""The award rounds' public pages (laureates, printable certificates) and the page where a
nominee, who holds no account, answers their nomination through the e-mailed link."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, NotFound
from fundflow.lifecycle import nominations
from fundflow.lifecycle.nominations import NomineeAnswer
from fundflow.proposals.models import NomineeResponse
from fundflow.transparency import awards
from fundflow.web.changes import attempt
from fundflow.web.deps import ViewerDep
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import countries

router = APIRouter()

ANSWER_PAGE = "/distinctions/nomination"
Token = Annotated[str, Query(max_length=100)]


@router.get("/distinctions")
def award_rounds(request: Request, session: SessionDep, seen: ViewerDep) -> Response:
    return render(request, "awards.html", {"rounds": awards.announced_rounds(session)})


@router.get("/distinctions/{round_id:int}")
def award_round(request: Request, round_id: int, session: SessionDep, seen: ViewerDep) -> Response:
    """One announced round: its laureates and their certificates."""
    rounds = awards.announced_rounds(session, round_id)
    if not rounds:
        raise NotFound(f"No announced award round {round_id}.")
    return render(request, "award_round.html", {"round": rounds[0]})


@router.get("/distinctions/laureats/{laureate_id}/diplome")
def certificate(
    request: Request, laureate_id: int, session: SessionDep, viewer: ViewerDep
) -> Response:
    context = {
        "laureate": awards.laureate(session, laureate_id),
        "country_names": dict(countries(viewer.language)),
    }
    return render(request, "award_certificate.html", context)


@router.get(ANSWER_PAGE)
def nomination_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    jeton: Token = "",
    repondu: Annotated[str, Query(max_length=1)] = "",
) -> Response:
    try:
        seen = nominations.nomination_for_nominee(session, jeton, viewer.language)
    except NotFound:
        return render(request, "nominee_link_unknown.html", {}, status_code=404)
    context = {"nomination": seen, "token": jeton, "errors": FormErrors(), "done": bool(repondu)}
    return render(request, "nominee_answer.html", context)


@router.post(ANSWER_PAGE)
def answer_nomination(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    jeton: Annotated[str, Form(max_length=100)] = "",
    reponse: Annotated[str, Form(max_length=20)] = "",
    commentaire: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    try:
        seen = nominations.nomination_for_nominee(session, jeton, viewer.language)
    except NotFound:
        return render(request, "nominee_link_unknown.html", {}, status_code=404)
    errors = FormErrors()
    try:
        given = NomineeAnswer.model_validate(
            {"token": jeton, "response": reponse, "comment": commentaire.strip() or None}
        )
        if given.response == NomineeResponse.PENDING:
            raise ValueError
    except (ValidationError, ValueError):
        errors.add("reponse", N_("Choose whether you accept or decline the nomination."))
    if not errors:
        try:
            attempt(session, lambda: nominations.answer(session, given, viewer.language))
        except Conflict:
            errors.add(
                "reponse", N_("The jury has decided: the nomination can no longer be answered.")
            )
    if errors:
        context = {"nomination": seen, "token": jeton, "errors": errors, "done": False}
        return render(request, "nominee_answer.html", context, status_code=400)
    return RedirectResponse(f"{ANSWER_PAGE}?jeton={jeton}&repondu=1", status_code=303)
