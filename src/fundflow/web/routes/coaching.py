"""Coaching on the pages: the association shares its draft for advice; the secretariat
comments per section, for the association or internally; both answer and resolve.

Registered before the sections' routes: ``/propositions/{id}/conseil`` and
``/propositions/{id}/commentaires`` are not sections.
"""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import InvalidInput
from fundflow.lifecycle.coaching import notify_association
from fundflow.proposals import service as proposals
from fundflow.proposals.coaching import service as coaching
from fundflow.proposals.coaching.models import CommentSection, CommentVisibility
from fundflow.proposals.coaching.schemas import CommentCreate
from fundflow.web.deps import SignedInDep

router = APIRouter()


@router.post("/propositions/{proposal_id}/conseil")
def ask_for_advice(proposal_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    coaching.request_advice(session, actor=viewer.actor, proposal=proposal)
    return RedirectResponse(f"/propositions/{proposal_id}?partage=1#commentaires", status_code=303)


@router.post("/propositions/{proposal_id}/commentaires")
def comment(
    proposal_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    settings: SettingsDep,
    body: Annotated[str, Form(max_length=10_000)] = "",
    section: Annotated[str, Form(max_length=40)] = "general",
    visibility: Annotated[str, Form(max_length=40)] = "association",
    parent_id: Annotated[int | None, Form()] = None,
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    back = f"/propositions/{proposal_id}"
    if not body.strip():
        return RedirectResponse(f"{back}?vide=1#commentaires", status_code=303)
    data = CommentCreate(
        body=body,
        section=CommentSection(section)
        if section in set(CommentSection)
        else CommentSection.GENERAL,
        visibility=CommentVisibility(visibility)
        if visibility in set(CommentVisibility)
        else CommentVisibility.ASSOCIATION,
        parent_id=parent_id,
    )
    try:
        written = coaching.add_comment(session, actor=viewer.actor, proposal=proposal, data=data)
    except InvalidInput:
        # An association cannot write internally: the form never offers it.
        return RedirectResponse(f"{back}#commentaires", status_code=303)
    notify_association(session, settings, proposal, written)
    return RedirectResponse(f"{back}?commente=1#commentaire-{written.id}", status_code=303)


@router.post("/propositions/{proposal_id}/commentaires/{comment_id}/resolution")
def resolve(
    proposal_id: int,
    comment_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    resolved: Annotated[str, Form(max_length=5)] = "1",
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    coaching.set_resolved(
        session,
        actor=viewer.actor,
        proposal=proposal,
        comment_id=comment_id,
        resolved=resolved == "1",
    )
    return RedirectResponse(
        f"/propositions/{proposal_id}#commentaire-{comment_id}", status_code=303
    )
