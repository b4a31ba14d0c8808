"""Sealed review: who sees which review, and the scores drawn from them.

The secretariat sees every review. A reviewer sees their own reviews, and the submitted
reviews of a proposal once their own review of it is submitted. Applicants never see
reviews nor who wrote them.

The ranking of a call shows every proposal's criterion means, which with one review in
are that reviewer's scores. So the secretariat sees it whole; a commission member sees it
only once every review assigned to them in the call is submitted or declined, and never
the rows of proposals they have a conflict of interest with (their own association, an
affiliated organisation or partner, or a review they declined). Calibration (each
reviewer's scale) is the secretariat's alone.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role
from fundflow.proposals.models import Proposal
from fundflow.reviews.models import CommissionProfile, Review, ReviewStatus


def review_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(Role.SECRETARIAT):
        return true()
    if not actor.has(Role.COMMISSION):
        return false()
    own = aliased(Review)
    submitted_own = select(col(own.proposal_id)).where(
        col(own.reviewer_id) == actor.id, col(own.status) == ReviewStatus.SUBMITTED
    )
    return or_(
        col(Review.reviewer_id) == actor.id,
        and_(
            col(Review.status) == ReviewStatus.SUBMITTED,
            col(Review.proposal_id).in_(submitted_own),
        ),
    )


def acting_roles(actor: Actor, review: Review) -> frozenset[str]:
    """Only the assigned reviewer acts on a review."""
    if actor.has(Role.COMMISSION) and actor.id == review.reviewer_id:
        return frozenset({Role.COMMISSION})
    return frozenset()


@dataclass(frozen=True)
class Ties:
    """The organisations and partners a commission member is tied to: they review none of
    their proposals and see none of their rows in a ranking."""

    organisations: frozenset[int]
    partners: frozenset[int]


def ties_of(organisation_id: int | None, profile: CommissionProfile | None) -> Ties:
    organisations = {organisation_id} if organisation_id is not None else set()
    partners: set[int] = set()
    if profile is not None:
        organisations |= set(profile.affiliated_organisation_ids)
        partners |= set(profile.affiliated_partner_ids)
    return Ties(frozenset(organisations), frozenset(partners))


def hidden_ranking_rows(session: Session, actor: Actor, call: Call) -> frozenset[int]:
    """The proposals whose ranking rows ``actor`` may not see; ``Forbidden`` when the
    ranking itself is sealed for them (their own reviews of the call are not all in)."""
    if actor.has(Role.SECRETARIAT):
        return frozenset()
    in_call = select(col(Proposal.id)).where(col(Proposal.call_id) == call.id)
    open_reviews = session.scalar(
        select(func.count())
        .select_from(Review)
        .where(
            col(Review.reviewer_id) == actor.id,
            col(Review.status) == ReviewStatus.ASSIGNED,
            col(Review.proposal_id).in_(in_call),
        )
    )
    if open_reviews:
        raise Forbidden(
            f"The ranking shows the other reviewers' scores: submit (or decline) your "
            f"{open_reviews} open review(s) of this call first."
        )
    ties = ties_of(actor.organisation_id, session.get(CommissionProfile, actor.id))
    declined = select(col(Review.proposal_id)).where(
        col(Review.reviewer_id) == actor.id, col(Review.status) == ReviewStatus.DECLINED
    )
    conflicted = session.scalars(
        select(col(Proposal.id)).where(
            col(Proposal.call_id) == call.id,
            or_(
                col(Proposal.organisation_id).in_(ties.organisations),
                col(Proposal.partner_id).in_(ties.partners),
                col(Proposal.id).in_(declined),
            ),
        )
    )
    return frozenset(pid for pid in conflicted if pid is not None)


def reviews_listed_for(actor: Actor) -> ColumnElement[bool]:
    """The reviews list: the secretariat's is every review it sees; a reviewer's is their
    own assignments (others' reviews are read per proposal, once theirs is in)."""
    if actor.has(Role.SECRETARIAT):
        return review_visibility(actor)
    return and_(review_visibility(actor), col(Review.reviewer_id) == actor.id)


def require_review_reader(actor: Actor) -> None:
    if not actor.has(Role.SECRETARIAT, Role.COMMISSION):
        raise Forbidden("Reviews are shared with the secretariat and the commission only.")


def require_assigner(actor: Actor) -> None:
    """Reviews are assigned and withdrawn by the secretariat."""
    if not actor.has(Role.SECRETARIAT):
        raise Forbidden("Reviews are assigned by the secretariat.")
