"""Attachments of proposals and reports: type checked from the content, stored by hash."""

from functools import lru_cache
from pathlib import PurePath

import filetype
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from fundflow.core.actor import Actor
from fundflow.core.config import get_settings
from fundflow.core.errors import Conflict, RuleViolation, Violation, not_found
from fundflow.core.messages import N_, Message
from fundflow.monitoring.models import Document, Report
from fundflow.monitoring.policies import require_document_author
from fundflow.monitoring.reports import EDITABLE as EDITABLE_REPORTS
from fundflow.monitoring.reports import report_visibility
from fundflow.monitoring.storage import DocumentStore, store_from
from fundflow.proposals.models import Proposal
from fundflow.proposals.policies import EDITABLE_STATES, proposal_visibility

# Detected type → the media type we record and the file name endings that may carry it.
ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
}


@lru_cache
def document_store() -> DocumentStore:
    return store_from(get_settings())


def sniff(content: bytes, filename: str) -> str:
    """The content's media type, if it is an accepted one and the name says the same."""
    kind = filetype.guess(content)
    accepted = ", ".join(sorted(ALLOWED))
    if kind is None or kind.extension not in ALLOWED:
        raise RuleViolation.of(
            N_("The file type is not accepted."),
            [
                Violation(
                    "file_type",
                    Message(
                        N_("Accepted: %(accepted)s; this content is %(found)s."),
                        {
                            "accepted": accepted,
                            "found": (kind.extension,) if kind else (N_("not recognised"),),
                        },
                    ),
                )
            ],
        )
    media_type, endings = ALLOWED[kind.extension]
    if PurePath(filename).suffix.lower() not in endings:
        raise RuleViolation.of(
            N_("The file name does not match its content."),
            [
                Violation(
                    "file_extension",
                    Message(
                        N_("The content is %(found)s, but the name is %(name)s."),
                        {"found": kind.extension, "name": repr(filename)},
                    ),
                )
            ],
        )
    return media_type


def attach(
    session: Session,
    *,
    actor: Actor,
    content: bytes,
    filename: str,
    proposal: Proposal | None = None,
    report: Report | None = None,
) -> Document:
    owner = (
        proposal.organisation_id
        if proposal is not None
        else (report.project.organisation_id if report is not None else None)
    )
    require_document_author(actor, owner)
    media_type = sniff(content, filename)
    key = document_store().put(content)
    document = Document(
        proposal_id=proposal.id if proposal is not None else None,
        report_id=report.id if report is not None else None,
        filename=PurePath(filename).name[:255],
        media_type=media_type,
        size=len(content),
        sha256=key,
        uploaded_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    return document


def remove(
    session: Session,
    *,
    actor: Actor,
    document_id: int,
    proposal: Proposal | None = None,
    report: Report | None = None,
) -> None:
    """Takes a document off the proposal or report it was added to, while its author may
    still change it. The stored content stays: others may share it (stored by hash)."""
    document = session.get(Document, document_id)
    if document is None or (
        (proposal is None or document.proposal_id != proposal.id)
        and (report is None or document.report_id != report.id)
    ):
        raise not_found("Document", document_id)
    owner = (
        proposal.organisation_id
        if proposal is not None
        else (report.project.organisation_id if report is not None else None)
    )
    require_document_author(actor, owner)
    changeable = (
        proposal.status in EDITABLE_STATES
        if proposal is not None
        else report is not None and report.status in EDITABLE_REPORTS
    )
    if not changeable:
        raise Conflict(N_("What was submitted keeps its documents."))
    session.delete(document)
    session.flush()


def documents_of(
    session: Session, *, proposal: Proposal | None = None, report: Report | None = None
) -> list[Document]:
    stmt = select(Document).order_by(col(Document.id))
    if proposal is not None:
        stmt = stmt.where(Document.proposal_id == proposal.id)
    if report is not None:
        stmt = stmt.where(Document.report_id == report.id)
    return list(session.exec(stmt).all())


def get_document(session: Session, *, actor: Actor, document_id: int) -> Document:
    """Served only to whoever may see the proposal or report it belongs to."""
    document = session.get(Document, document_id)
    if document is None or not (
        _visible(session, Proposal, document.proposal_id, proposal_visibility(actor))
        if document.proposal_id is not None
        else _visible(session, Report, document.report_id, report_visibility(actor))
    ):
        raise not_found("Document", document_id)
    return document


def _visible(
    session: Session,
    model: type[Proposal] | type[Report],
    entity_id: int | None,
    visibility: ColumnElement[bool],
) -> bool:
    if entity_id is None:
        return False
    query = select(col(model.id)).where(col(model.id) == entity_id, visibility)
    return session.exec(query).first() is not None


def content_of(document: Document) -> bytes:
    return document_store().get(document.sha256)
