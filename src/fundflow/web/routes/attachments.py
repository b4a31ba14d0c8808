"""A proposal's attachments on the pages: added (a file at a time, its limits said up
front), listed, removed, downloaded.

Registered before the sections' routes: ``/propositions/{id}/documents`` takes the
upload, whose path the body limit knows as an upload's (``core.middleware.is_upload``).
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from fundflow.core.deps import SessionDep
from fundflow.core.errors import RuleViolation
from fundflow.core.formats import attachment
from fundflow.monitoring import documents
from fundflow.monitoring.models import Report
from fundflow.proposals import service as proposals
from fundflow.proposals.models import Proposal
from fundflow.web.changes import attempt
from fundflow.web.csrf import require_token
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.proposal_sections import BY_SLUG
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep, saved_tree, section_page

router = APIRouter()

UNACCEPTED_FILE = N_(
    "This file cannot be added: send a PDF, Word, Excel, OpenDocument, JPEG or PNG file "
    "whose name ends as its type does."
)


def attach_upload(
    session: Session,
    viewer: SignedInViewer,
    form: FormData,
    *,
    proposal: Proposal | None = None,
    report: Report | None = None,
) -> FormErrors:
    """The form's file attached to the proposal or the report; what is wrong with it, if
    anything (then nothing is attached)."""
    errors = FormErrors()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add("file", N_("Choose a file to add."))
        return errors
    content = upload.file.read()
    try:
        attempt(
            session,
            lambda: documents.attach(
                session,
                actor=viewer.actor,
                content=content,
                filename=upload.filename or "",
                proposal=proposal,
                report=report,
            ),
        )
    except RuleViolation:
        errors.add("file", UNACCEPTED_FILE)
    return errors


@router.post("/propositions/{proposal_id}/documents")
def upload_document(
    request: Request,
    proposal_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    form: FormDep,
) -> Response:
    require_token(request, form)
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    errors = attach_upload(session, viewer, form, proposal=proposal)
    if errors:
        section = BY_SLUG["documents"]
        public = proposals.to_public(session, proposal)
        context = section_page(
            session, viewer, proposal, section, saved_tree(public), errors, proposal.version
        )
        context["editable"] = True
        return render(request, section.template, context, status_code=400)
    return RedirectResponse(f"/propositions/{proposal_id}/documents?ajoute=1", status_code=303)


@router.post("/propositions/{proposal_id}/documents/{document_id}/suppression")
def remove_document(
    proposal_id: int, document_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    proposal = proposals.get_proposal(session, actor=viewer.actor, proposal_id=proposal_id)
    documents.remove(session, actor=viewer.actor, document_id=document_id, proposal=proposal)
    return RedirectResponse(f"/propositions/{proposal_id}/documents?retire=1", status_code=303)


@router.get("/documents/{document_id}")
def download(document_id: int, session: SessionDep, viewer: SignedInDep) -> Response:
    """A document of a proposal or a report the person may see, as the API serves it."""
    document = documents.get_document(session, actor=viewer.actor, document_id=document_id)
    return Response(
        documents.content_of(document),
        media_type=document.media_type,
        headers=attachment(document.filename),
    )
