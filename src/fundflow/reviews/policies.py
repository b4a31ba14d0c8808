"""Sealed review: who sees which review.

The secretariat sees every review. A reviewer sees their own reviews, and the submitted
reviews of a proposal once their own review of it is submitted. Applicants never see
reviews nor who wrote them.
"""

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import col

from fundflow.accounts.models import Role
from fundflow.core.actor import Actor
from fundflow.reviews.models import Review, ReviewStatus


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
