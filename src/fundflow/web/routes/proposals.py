"""An association's proposal on the pages: started from a call, written section by section
from a task list, checked, declared and submitted, revised when the secretariat asks.

Every change goes through the proposals' service and the proposal's transition engine, as
the API's do; these handlers translate forms into their inputs and their refusals into
forms with an error summary. A refused change is undone to a savepoint, so a page that
answers with errors has changed nothing.
"""

import logging
from functools import cache
from typing import Annotated, Any, TypeVar
from unicodedata import normalize

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from fundflow.calls import service as calls
from fundflow.core.config import get_settings
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, DomainError, InvalidInput, NotFound, RuleViolation
from fundflow.core.pagination import PageParams
from fundflow.core.reference import country_codes
from fundflow.core.transitions import latest_event
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring import documents
from fundflow.organisations import service as organisations
from fundflow.organisations.schemas import PartnerCreate
from fundflow.proposals import policies
from fundflow.proposals import service as proposals
from fundflow.proposals.coaching import service as coaching
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.nominations import is_award
from fundflow.proposals.schemas import ProposalCreate, ProposalPublic, ProposalUpdate
from fundflow.web import nested_forms
from fundflow.web.changes import attempt, form_version
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.i18n import Formats, locale_of
from fundflow.web.proposal_sections import (
    BY_SLUG,
    COMMENT_SECTIONS,
    STATUS_NAMES,
    Section,
    failures,
    section_content,
    sections_for,
)
from fundflow.web.rendering import render

router = APIRouter()
log = logging.getLogger(__name__)

T = TypeVar("T")

AUTOSAVE_HEADER = "fundflow-autosave"


async def form_data(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def _service_errors(error: DomainError) -> FormErrors:
    """A refusal by the service as the form's errors; its messages are the catalogue's
    when they are rules' explanations, else a plain request to check the field."""
    errors = FormErrors()
    if isinstance(error, RuleViolation):
        for item in error.errors:
            errors.add(item.get("rule", "contenu"), item.get("message", ""))
    elif isinstance(error, InvalidInput) and error.errors:
        for item in error.errors:
            loc = [str(part) for part in item.get("loc", []) if part != "body"]
            errors.add(nested_forms.SEPARATOR.join(loc) or "contenu", N_("Check this answer."))
    else:
        errors.add("contenu", N_("This change could not be saved. Reload the page and retry."))
    return errors


def strxfrm_key(name: str) -> str:
    """Names sorted as readers expect (Égypte beside Egypt, not after Zimbabwe)."""
    return normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def countries(language: str) -> list[tuple[str, str]]:
    """Every country, named in ``language``, in the order of its names."""
    names = locale_of(language).territories
    named = [(code, names.get(code, code)) for code in country_codes()]
    return sorted(named, key=lambda c: strxfrm_key(c[1]))


# ---------------------------------------------------------------------------------------
# A call, and starting a proposal for it


@router.get("/appels/{call_id}")
def call_page(request: Request, call_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    may_start = calls.takes_drafts(call) and policies.writes_proposals(viewer.actor)
    context = {"call": calls.to_public(call), "may_start": may_start, "errors": FormErrors()}
    return render(request, "call.html", context)


@router.post("/appels/{call_id}/propositions")
def start_proposal(
    request: Request,
    call_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    title: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    call = calls.get_call(session, actor=viewer.actor, call_id=call_id)
    errors = FormErrors()
    try:
        data = ProposalCreate(call_id=call_id, title=title)
        created = attempt(
            session, lambda: proposals.create_proposal(session, actor=viewer.actor, data=data)
        )
    except ValidationError:
        errors.add("title", N_("Give the project a title of at least 3 characters."))
    except RuleViolation as refused:
        errors = _service_errors(refused)
    if errors:
        context = {"call": calls.to_public(call), "may_start": True, "errors": errors}
        return render(request, "call.html", context | {"title": title}, status_code=400)
    return RedirectResponse(f"/propositions/{created.id}", status_code=303)


# ---------------------------------------------------------------------------------------
# The task list


def _task_list_context(
    session: Session, viewer: SignedInViewer, proposal: Proposal
) -> dict[str, Any]:
    assert proposal.id is not None
    public = proposals.to_public(session, proposal)
    attached = documents.documents_of(session, proposal=proposal)
    editable = policies.edit_refusal(viewer.actor, proposal) is None
    # What the state and the person's roles open; the failures below say what still blocks.
    roles = policies.acting_roles(viewer.actor, proposal)
    options = {row.action for row in PROPOSAL_MACHINE.available(str(proposal.status), roles)}
    revision = (
        latest_event(
            session, entity_type="proposal", entity_id=proposal.id, action="return_for_revision"
        )
        if proposal.status == ProposalStatus.REVISION_REQUESTED
        else None
    )
    participant = coaching.is_participant(viewer.actor, proposal)
    comments = (
        coaching.comments_of(session, actor=viewer.actor, proposal=proposal) if participant else []
    )
    return {
        "proposal": public,
        "shared_at": proposal.advice_requested_at,
        "participant": participant,
        "comments": coaching.to_public_many(session, comments),
        "comment_sections": COMMENT_SECTIONS,
        "sections": [
            (s, s.status(public, len(attached))) for s in sections_for(is_award(proposal.call))
        ],
        "status_names": STATUS_NAMES,
        "failures": failures(proposals.eligibility_checks(session, proposal)) if editable else [],
        "editable": editable,
        "may_submit": "submit" in options,
        "revision": revision,
        "documents": attached,
    }


@router.get("/propositions/{proposal_id}")
def task_list(
    request: Request, proposal_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    context = _task_list_context(session, viewer, proposal)
    return render(request, "proposal_tasks.html", context)


# ---------------------------------------------------------------------------------------
# A section


def section_page(
    session: Session,
    viewer: SignedInViewer,
    proposal: Proposal,
    section: Section,
    tree: dict[str, Any],
    errors: FormErrors,
    version: int,
) -> dict[str, Any]:
    public = proposals.to_public(session, proposal)
    context: dict[str, Any] = {
        "proposal": public,
        "section": section,
        "form": tree,
        "errors": errors,
        "version": version,
        "conflict": None,
        "section_comments": [],
    }
    if section.slug in ("projet", "candidature"):
        context["countries"] = countries(viewer.language)
        context["call_priorities"] = proposal.call.priorities
        context["call_categories"] = proposal.call.categories
    if section.slug == "partenaire":
        partners, _ = organisations.list_partners(
            session, actor=viewer.actor, page=PageParams(limit=100)
        )
        context["partners"] = partners
        context["countries"] = countries(viewer.language)
    if policies.is_own_organisation(viewer.actor, proposal):
        open_comments = coaching.comments_of(
            session, actor=viewer.actor, proposal=proposal, open_only=True
        )
        context["section_comments"] = coaching.to_public_many(
            session, [c for c in open_comments if c.section == section.comments]
        )
    if section.slug == "documents":
        context["documents"] = documents.documents_of(session, proposal=proposal)
        context["max_upload_bytes"] = get_settings().max_upload_bytes
    return context


def saved_tree(public: ProposalPublic) -> dict[str, Any]:
    """The saved proposal in the shape of its forms."""
    tree: dict[str, Any] = nested_forms.as_rows(public.model_dump(mode="json"))
    tree["priorities"] = list(tree.get("priorities", []))
    declared = public.other_funding_requests_declared
    tree["other_funding_requests_declared"] = (
        "" if declared is None else "yes" if declared else "no"
    )
    if public.nomination is not None:
        tree["nomination"]["self_nomination"] = "yes" if public.nomination.self_nomination else "no"
    return tree


def _section(slug: str, proposal: Proposal) -> Section:
    """The section ``slug`` of a proposal of this kind (a nomination has no budget)."""
    section = BY_SLUG.get(slug)
    if section is None or section not in sections_for(is_award(proposal.call)):
        raise NotFound(f"No section {slug}.")
    return section


@router.get("/propositions/{proposal_id}/{slug}")
def section_form(
    request: Request,
    proposal_id: int,
    slug: str,
    session: SessionDep,
    viewer: SignedInDep,
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    public = proposals.to_public(session, proposal)
    section = _section(slug, proposal)
    context = section_page(
        session, viewer, proposal, section, saved_tree(public), FormErrors(), proposal.version
    )
    context["editable"] = policies.edit_refusal(viewer.actor, proposal) is None
    return render(request, section.template, context)


END_DATE_RULE = {"end_date": N_("The end date must come after the start date.")}


@router.post("/propositions/{proposal_id}/{slug}")
def save_section(
    request: Request,
    proposal_id: int,
    slug: str,
    session: SessionDep,
    viewer: SignedInDep,
    form: FormDep,
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    section = _section(slug, proposal)
    autosave = request.headers.get(AUTOSAVE_HEADER) == "1"
    tree = nested_forms.parse(form.multi_items())
    version = form_version(form)
    if nested_forms.add_or_remove(tree, form):
        context = section_page(session, viewer, proposal, section, tree, FormErrors(), version)
        context |= {"editable": True, "focus": form.get(nested_forms.ADD)}
        return render(request, section.template, context)
    errors = FormErrors()
    conflict = None
    if section.slug == "partenaire":
        errors = _new_partner(session, viewer, tree)
    if not errors:
        try:
            data = ProposalUpdate.model_validate(
                section_content(section, tree) | {"version": version}
            )
            attempt(
                session,
                lambda: proposals.update_proposal(
                    session, actor=viewer.actor, proposal=proposal, data=data
                ),
            )
        except ValidationError as invalid:
            errors = nested_forms.errors_of(invalid, END_DATE_RULE)
        except Conflict:
            if proposal.version == version:  # not a version conflict: the state forbids it
                raise
            conflict = proposals.to_public(session, proposal)
            errors.add("conflit", N_("Someone else saved this proposal while you were writing."))
        except (InvalidInput, RuleViolation) as refused:
            errors = _service_errors(refused)
    if autosave:
        return _autosave_answer(viewer, proposal, errors, conflict is not None)
    if errors:
        context = section_page(session, viewer, proposal, section, tree, errors, version)
        context |= {"editable": True, "conflict": conflict}
        if conflict is not None:
            context["saved"] = saved_tree(conflict)
            context["version"] = conflict.version
        return render(request, section.template, context, status_code=400)
    return RedirectResponse(f"/propositions/{proposal_id}?enregistre={slug}", status_code=303)


def _autosave_answer(
    viewer: SignedInViewer, proposal: Proposal, errors: FormErrors, conflict: bool
) -> Response:
    """What the page's script needs after saving in the background: the new version and the
    time, or why nothing was saved (it says so; the person's text stays in the page)."""
    if not errors:
        saved_at = Formats(viewer.language).time(proposal.updated_at)
        return JSONResponse({"saved": True, "version": proposal.version, "at": saved_at})
    return JSONResponse(
        {"saved": False, "conflict": conflict}, status_code=409 if conflict else 400
    )


def _new_partner(session: Session, viewer: SignedInViewer, tree: dict[str, Any]) -> FormErrors:
    """A new partner typed in the partner section: created, then chosen."""
    typed = tree.pop("new_partner", None)
    if not typed or tree.get("partner_id") != "new":
        return FormErrors()
    try:
        data = PartnerCreate.model_validate(typed)
        partner = attempt(
            session, lambda: organisations.create_partner(session, actor=viewer.actor, data=data)
        )
    except ValidationError as invalid:
        return nested_forms.errors_of(invalid, prefix="new_partner")
    tree["partner_id"] = str(partner.id)
    return FormErrors()
