"""Checking a proposal's answers, declaring and submitting it (the ``submit`` transition,
as over the API), the confirmation with its reference, and the print view.

Registered before the sections' routes: ``/propositions/{id}/verifier`` is not a section.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from fundflow.core.catalogues import translations
from fundflow.core.config import Settings
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import RuleViolation
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring import documents
from fundflow.monitoring.reminders import Outgoing, send
from fundflow.organisations.models import Partner
from fundflow.proposals import policies
from fundflow.proposals import service as proposals
from fundflow.proposals.models import Proposal
from fundflow.proposals.schemas import ProposalPublic
from fundflow.web.changes import act
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.proposal_sections import failures
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import countries

router = APIRouter()
log = logging.getLogger(__name__)


def reference(proposal: ProposalPublic) -> str:
    """The number an association quotes to the secretariat."""
    return f"{proposal.created_at:%Y}-{proposal.id:05d}"


def answers_of(session: Session, viewer: SignedInViewer, proposal: Proposal) -> dict[str, object]:
    public = proposals.to_public(session, proposal)
    partner = session.get(Partner, proposal.partner_id) if proposal.partner_id else None
    return {
        "proposal": public,
        "reference": reference(public),
        "partner": partner,
        "documents": documents.documents_of(session, proposal=proposal),
        "country_names": dict(countries(viewer.language)),
        "priority_names": {
            p.code: (p.label_en if viewer.language == "en" and p.label_en else p.label)
            for p in proposal.call.priorities
        },
        "call_title": proposal.call.title,
    }


@router.get("/propositions/{proposal_id}/verifier")
def check_answers(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    context = answers_of(session, viewer, proposal)
    context |= {
        "failures": failures(proposals.eligibility_checks(session, proposal)),
        "editable": policies.edit_refusal(viewer.actor, proposal) is None,
        "errors": FormErrors(),
    }
    return render(request, "proposal_check.html", context)


@router.post("/propositions/{proposal_id}/soumission")
def submit(
    request: Request,
    proposal_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    settings: SettingsDep,
    declaration: Annotated[str, Form(max_length=10)] = "",
    version: Annotated[int, Form(ge=0)] = 0,
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    errors = FormErrors()
    if declaration != "oui":
        errors.add("declaration", N_("Confirm the declaration to submit the proposal."))
    else:
        try:
            act(
                session,
                viewer,
                machine=PROPOSAL_MACHINE,
                entity=proposal,
                acting_roles=policies.acting_roles(viewer.actor, proposal),
                action="submit",
                version=version,
            )
        except RuleViolation:
            errors.add(
                "declaration", N_("The proposal cannot be submitted yet: see what is missing.")
            )
    if errors:
        context = answers_of(session, viewer, proposal)
        context |= {
            "failures": failures(proposals.eligibility_checks(session, proposal)),
            "editable": True,
            "errors": errors,
        }
        return render(request, "proposal_check.html", context, status_code=400)
    _mail_confirmation(settings, viewer, proposals.to_public(session, proposal))
    return RedirectResponse(f"/propositions/{proposal_id}/confirmation", status_code=303)


def _mail_confirmation(
    settings: Settings, viewer: SignedInViewer, proposal: ProposalPublic
) -> None:
    _ = translations(viewer.language).gettext
    link = f"{settings.public_url.rstrip('/')}/propositions/{proposal.id}"
    body = "\n\n".join(
        [
            _("Your proposal “%(title)s” has been submitted.") % {"title": proposal.title},
            _("Its reference is %(reference)s.") % {"reference": reference(proposal)},
            _("The secretariat checks it, then the technical commission reviews it."),
            _("You can follow it, and print what you submitted, here:"),
            link,
        ]
    )
    subject = _("Proposal submitted: %(reference)s") % {"reference": reference(proposal)}
    if send(settings, [Outgoing(to=viewer.user.email, subject=subject, body=body)]):
        log.error("the submission confirmation could not be sent (the SMTP server refused it)")


@router.get("/propositions/{proposal_id}/confirmation")
def confirmation(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    public = proposals.to_public(session, proposal)
    context = {"proposal": public, "reference": reference(public), "email": viewer.user.email}
    return render(request, "proposal_submitted.html", context)


@router.get("/propositions/{proposal_id}/impression")
def print_view(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    return render(request, "proposal_print.html", answers_of(session, viewer, proposal))
