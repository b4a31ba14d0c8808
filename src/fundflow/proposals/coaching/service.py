"""Coaching on drafts: an association shares its draft with the secretariat and asks for
advice; the secretariat comments section by section, either for the association or
internally; both answer and resolve. The association never receives an internal comment:
not in a list, an answer, an event or an export.
"""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, col, select

from fundflow.accounts.service import full_names
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, Forbidden, InvalidInput, not_found
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.core.transitions import record_event
from fundflow.proposals import policies
from fundflow.proposals.coaching.models import CommentVisibility, ProposalComment
from fundflow.proposals.coaching.schemas import CommentCreate, CommentPublic
from fundflow.proposals.models import Proposal


def comment_visibility(actor: Actor, proposal: Proposal) -> ColumnElement[bool]:
    """The comments of ``proposal`` that ``actor`` reads."""
    if actor.has(Role.SECRETARIAT):
        return true()
    if policies.is_own_organisation(actor, proposal):
        return col(ProposalComment.visibility) == CommentVisibility.ASSOCIATION
    return false()


def is_participant(actor: Actor, proposal: Proposal) -> bool:
    """The secretariat and the proposal's association take part in its comments."""
    return actor.has(Role.SECRETARIAT) or policies.is_own_organisation(actor, proposal)


def require_participant(actor: Actor, proposal: Proposal) -> None:
    if not is_participant(actor, proposal):
        raise Forbidden(N_("Comments are between the association and the secretariat."))


def request_advice(session: Session, *, actor: Actor, proposal: Proposal) -> Proposal:
    """The association shares its draft with the secretariat (once; it stays shared)."""
    if not policies.is_own_organisation(actor, proposal):
        raise Forbidden(N_("Only the association shares its draft."))
    if proposal.status not in policies.EDITABLE_STATES:
        raise Conflict(N_("Only a draft is shared for advice; the secretariat already sees it."))
    if proposal.advice_requested_at is None:
        proposal.advice_requested_at = utcnow()
        session.add(proposal)
        assert proposal.id is not None
        record_event(
            session,
            entity_type="proposal",
            entity_id=proposal.id,
            action="request_advice",
            actor=actor,
        )
        session.flush()
    return proposal


def _visible_comment(
    session: Session, actor: Actor, proposal: Proposal, comment_id: int
) -> ProposalComment:
    comment = session.exec(
        select(ProposalComment).where(
            col(ProposalComment.id) == comment_id,
            col(ProposalComment.proposal_id) == proposal.id,
            comment_visibility(actor, proposal),
        )
    ).first()
    if comment is None:
        raise not_found("Comment", comment_id)
    return comment


def add_comment(
    session: Session, *, actor: Actor, proposal: Proposal, data: CommentCreate
) -> ProposalComment:
    require_participant(actor, proposal)
    visibility = data.visibility
    section = data.section
    if data.parent_id is not None:
        parent = _visible_comment(session, actor, proposal, data.parent_id)
        # An answer stays where the comment it answers is, and as private.
        visibility, section = parent.visibility, parent.section
    if visibility == CommentVisibility.INTERNAL and not actor.has(Role.SECRETARIAT):
        raise InvalidInput(
            N_("Only the secretariat writes internal comments."),
            [{"loc": ["body", "visibility"], "message": N_("Choose `association`.")}],
        )
    assert proposal.id is not None
    comment = ProposalComment(
        proposal_id=proposal.id,
        parent_id=data.parent_id,
        section=section,
        visibility=visibility,
        body=data.body,
        author_id=actor.id,
    )
    session.add(comment)
    session.flush()
    if visibility == CommentVisibility.ASSOCIATION:
        # Internal comments leave no event: the association reads the proposal's events.
        record_event(
            session,
            entity_type="proposal",
            entity_id=proposal.id,
            action="comment",
            actor=actor,
            data={"comment_id": comment.id, "section": str(section)},
        )
    return comment


def set_resolved(
    session: Session, *, actor: Actor, proposal: Proposal, comment_id: int, resolved: bool
) -> ProposalComment:
    require_participant(actor, proposal)
    comment = _visible_comment(session, actor, proposal, comment_id)
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = actor.id if resolved else None
    session.add(comment)
    session.flush()
    return comment


def comments_of(
    session: Session, *, actor: Actor, proposal: Proposal, open_only: bool = False
) -> list[ProposalComment]:
    require_participant(actor, proposal)
    stmt = select(ProposalComment).where(
        col(ProposalComment.proposal_id) == proposal.id, comment_visibility(actor, proposal)
    )
    if open_only:
        stmt = stmt.where(col(ProposalComment.resolved_at).is_(None))
    return list(session.exec(stmt.order_by(col(ProposalComment.id))).all())


def to_public_many(session: Session, comments: Sequence[ProposalComment]) -> list[CommentPublic]:
    names = full_names(session, {c.author_id for c in comments if c.author_id is not None})
    return [
        CommentPublic(
            id=c.id or 0,
            proposal_id=c.proposal_id,
            parent_id=c.parent_id,
            section=c.section,
            visibility=c.visibility,
            body=c.body,
            author_id=c.author_id,
            author_name=names.get(c.author_id or 0, ""),
            created_at=c.created_at,
            resolved=c.resolved_at is not None,
            resolved_at=c.resolved_at,
        )
        for c in comments
    ]
