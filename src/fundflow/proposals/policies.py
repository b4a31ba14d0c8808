"""Who sees and acts on proposals.

An association sees its own proposals, drafts included; the secretariat sees a proposal
once it has been submitted, or a draft its association shared for advice (other drafts
stay the association's own); a commission member sees
the proposals they are reviewing (not those they declared a conflict on); funders' staff
the proposals of the projects their funder co-finances.
"""

from sqlalchemy import ColumnElement, false, or_, select
from sqlmodel import col

from fundflow.cofinancing.models import co_financed_by
from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.projects.models import Project
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.models import Review, ReviewStatus

EDITABLE_STATES = frozenset({ProposalStatus.DRAFT, ProposalStatus.REVISION_REQUESTED})


def proposal_visibility(actor: Actor) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        clauses.append(col(Proposal.organisation_id) == actor.organisation_id)
    if actor.has(Role.SECRETARIAT):
        # Submitted, or shared by the association for advice (coaching a draft).
        clauses.append(
            or_(
                col(Proposal.submitted_at).is_not(None),
                col(Proposal.advice_requested_at).is_not(None),
            )
        )
    if actor.has(Role.COMMISSION):
        clauses.append(
            col(Proposal.id).in_(
                select(col(Review.proposal_id)).where(
                    col(Review.reviewer_id) == actor.id, col(Review.status) != ReviewStatus.DECLINED
                )
            )
        )
    if actor.has(Role.AUTHORITY) and actor.funder_id is not None:
        clauses.append(
            col(Proposal.id).in_(
                select(col(Project.proposal_id)).where(
                    col(Project.id).in_(co_financed_by(actor.funder_id))
                )
            )
        )
    return or_(*clauses) if clauses else false()


def is_own_organisation(actor: Actor, proposal: Proposal) -> bool:
    return (
        actor.has(Role.APPLICANT)
        and actor.organisation_id is not None
        and actor.organisation_id == proposal.organisation_id
    )


def acting_roles(actor: Actor, proposal: Proposal) -> frozenset[str]:
    """The roles in which ``actor`` acts on this proposal (applicant only for its own)."""
    roles = set(actor.roles & {Role.SECRETARIAT})
    if is_own_organisation(actor, proposal):
        roles.add(Role.APPLICANT)
    return frozenset(roles)


def edit_refusal(actor: Actor, proposal: Proposal) -> str | None:
    """Why ``actor`` may not edit the proposal's content now, or None."""
    if not is_own_organisation(actor, proposal):
        return "Only the applicant organisation edits its proposal."
    if proposal.status not in EDITABLE_STATES:
        return (
            f"A proposal can be edited only in draft or revision_requested, not {proposal.status}."
        )
    return None


def writes_proposals(actor: Actor) -> bool:
    """Whether ``actor`` may start proposals (for its own association)."""
    return actor.has(Role.APPLICANT) and actor.organisation_id is not None


def author_organisation(actor: Actor, requested: int | None) -> int:
    """The organisation a new proposal is written for: the applicant's own, never another."""
    if not actor.has(Role.APPLICANT) or actor.organisation_id is None:
        raise Forbidden(N_("Proposals are written by an association's members (applicant role)."))
    if requested not in (None, actor.organisation_id):
        raise Forbidden(N_("An applicant writes proposals for its own organisation only."))
    return actor.organisation_id
