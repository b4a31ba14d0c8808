"""Reviews: assignment (manual and automatic), conflicts of interest, scoring, reading."""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.accounts.models import User, UserRole
from fundflow.accounts.service import full_names
from fundflow.calls.models import Call, CallCriterion
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    RuleViolation,
    Violation,
)
from fundflow.core.messages import N_, Message
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible
from fundflow.core.roles import Role
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews import policies
from fundflow.reviews.models import CommissionProfile, Review, ReviewScore, ReviewStatus
from fundflow.reviews.schemas import ReviewPublic, ReviewUpdate, ScorePublic, UnfilledProposal

ACTIVE = (ReviewStatus.ASSIGNED, ReviewStatus.SUBMITTED)


@dataclass(frozen=True)
class Member:
    """A commission member as assignment sees them."""

    user: User
    profile: CommissionProfile | None

    @property
    def id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    def expertise_for(self, proposal: Proposal) -> int:
        if self.profile is None:
            return 0
        sectors = set(self.profile.sectors) & {p.code for p in proposal.priorities}
        return len(sectors) + int(proposal.country in self.profile.countries)


def conflict_of_interest(member: Member, proposal: Proposal) -> str | None:
    """Why ``member`` may not review ``proposal``, or None (the ties are
    ``policies.ties_of``, which also hide ranking rows)."""
    ties = policies.ties_of(member.user.organisation_id, member.profile)
    if member.user.organisation_id == proposal.organisation_id:
        return N_("The reviewer belongs to the applicant organisation.")
    if proposal.organisation_id in ties.organisations:
        return N_("The reviewer is affiliated with the applicant organisation.")
    if proposal.partner_id in ties.partners:
        return N_("The reviewer is affiliated with the proposal's partner organisation.")
    return None


def commission_members_query() -> Any:
    return (
        select(User)
        .where(col(User.is_active).is_(True))
        .where(
            col(User.id).in_(
                select(col(UserRole.user_id)).where(col(UserRole.role) == Role.COMMISSION)
            )
        )
    )


def with_profiles(session: Session, users: Sequence[User]) -> list[Member]:
    ids = [user.id for user in users]
    profiles = (
        {
            p.user_id: p
            for p in session.exec(
                select(CommissionProfile).where(col(CommissionProfile.user_id).in_(ids))
            ).all()
        }
        if ids
        else {}
    )
    return [Member(user, profiles.get(user.id or 0)) for user in users]


def commission_members(session: Session) -> list[Member]:
    users = session.exec(commission_members_query().order_by(col(User.id))).all()
    return with_profiles(session, users)


def _member(session: Session, reviewer_id: int) -> Member:
    for member in commission_members(session):
        if member.id == reviewer_id:
            return member
    raise RuleViolation.of(
        "The reviewer cannot be assigned.",
        [
            Violation(
                "reviewer_is_commission",
                Message(
                    N_("User %(id)s is not an active member of the commission."),
                    {"id": reviewer_id},
                ),
            )
        ],
    )


def _new_review(session: Session, *, actor: Actor, proposal: Proposal, member: Member) -> Review:
    assert proposal.id is not None
    review = Review(proposal_id=proposal.id, reviewer_id=member.id, assigned_by_id=actor.id)
    session.add(review)
    session.flush()
    assert review.id is not None
    record_event(
        session,
        entity_type="review",
        entity_id=review.id,
        action="assign",
        actor=actor,
        data={"proposal_id": proposal.id, "reviewer_id": member.id},
    )
    return review


def assign_reviewer(
    session: Session, *, actor: Actor, proposal: Proposal, reviewer_id: int
) -> Review:
    if proposal.status != ProposalStatus.IN_REVIEW:
        raise Conflict(f"Reviewers are assigned to proposals in review, not {proposal.status}.")
    member = _member(session, reviewer_id)
    reason = conflict_of_interest(member, proposal)
    if reason is not None:
        raise RuleViolation.of(
            "The reviewer has a conflict of interest.", [Violation("conflict_of_interest", reason)]
        )
    existing = session.exec(
        select(Review).where(
            col(Review.proposal_id) == proposal.id, col(Review.reviewer_id) == reviewer_id
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"User {reviewer_id} already has a review of this proposal ({existing.status})."
        )
    return _new_review(session, actor=actor, proposal=proposal, member=member)


def assign_for_call(
    session: Session, *, actor: Actor, call: Call, per_proposal: int
) -> tuple[list[Review], list[UnfilledProposal]]:
    """Give every proposal in review of the call ``per_proposal`` active reviewers.

    Load is balanced first: nobody gets more than the fair share (the total of active
    reviews over the members, rounded up) while someone else can take it; among those
    who can, matching expertise wins, then the lighter load. Conflicted members and
    members who already reviewed or declined the proposal are never chosen.
    """
    proposals = session.exec(
        select(Proposal)
        .where(col(Proposal.call_id) == call.id, col(Proposal.status) == ProposalStatus.IN_REVIEW)
        .order_by(col(Proposal.submitted_at), col(Proposal.id))
    ).all()
    members = commission_members(session)
    reviews = session.exec(
        select(Review).where(col(Review.proposal_id).in_([p.id for p in proposals]))
    ).all()
    seen: dict[int, set[int]] = defaultdict(set)
    active: dict[int, int] = defaultdict(int)
    load: dict[int, int] = defaultdict(int)
    for review in reviews:
        seen[review.proposal_id].add(review.reviewer_id)
        if review.status in ACTIVE:
            active[review.proposal_id] += 1
            load[review.reviewer_id] += 1
    needed = sum(max(per_proposal - active[p.id or 0], 0) for p in proposals)
    fair_share = math.ceil((sum(load.values()) + needed) / len(members)) if members else 0

    created: list[Review] = []
    unfilled: list[UnfilledProposal] = []
    for proposal in proposals:
        assert proposal.id is not None
        for slot in range(max(per_proposal - active[proposal.id], 0)):
            pool = [
                m
                for m in members
                if m.id not in seen[proposal.id]
                and conflict_of_interest(m, proposal) is None
                and (
                    m.profile is None
                    or m.profile.max_reviews_per_call is None
                    or load[m.id] < m.profile.max_reviews_per_call
                )
            ]
            if not pool:
                missing = per_proposal - active[proposal.id] - slot
                unfilled.append(
                    UnfilledProposal(
                        proposal_id=proposal.id,
                        missing=missing,
                        reason="No further commission member without a conflict is available.",
                    )
                )
                break
            fair = [m for m in pool if load[m.id] < fair_share] or pool
            best = min(fair, key=lambda m: (-m.expertise_for(proposal), load[m.id], m.id))
            created.append(_new_review(session, actor=actor, proposal=proposal, member=best))
            seen[proposal.id].add(best.id)
            load[best.id] += 1
    return created, unfilled


def _criteria_of(proposal: Proposal) -> dict[str, CallCriterion]:
    return {criterion.code: criterion for criterion in proposal.call.criteria}


def save_scores(session: Session, *, actor: Actor, review: Review, data: ReviewUpdate) -> Review:
    if actor.id != review.reviewer_id:
        raise Forbidden("Only the assigned reviewer writes this review.")
    if review.status != ReviewStatus.ASSIGNED:
        raise Conflict(f"A {review.status} review can no longer be changed.")
    check_version(review, data.version, "review")
    proposal = session.get(Proposal, review.proposal_id)
    assert proposal is not None
    criteria = _criteria_of(proposal)
    errors = []
    seen: set[str] = set()
    for index, item in enumerate(data.scores):
        loc = ["body", "scores", str(index)]
        criterion = criteria.get(item.criterion)
        if criterion is None:
            errors.append(
                {
                    "loc": [*loc, "criterion"],
                    "message": f"not a criterion of this call (its are {', '.join(criteria)})",
                }
            )
        elif item.criterion in seen:
            errors.append({"loc": [*loc, "criterion"], "message": "scored twice"})
        elif item.not_applicable and item.score is not None:
            errors.append({"loc": loc, "message": "give a score or not_applicable, not both"})
        elif item.not_applicable and not criterion.optional:
            errors.append(
                {
                    "loc": [*loc, "not_applicable"],
                    "message": f"{item.criterion} is required: it must be scored",
                }
            )
        elif not item.not_applicable and item.score is None:
            errors.append({"loc": [*loc, "score"], "message": "give a score or not_applicable"})
        elif item.score is not None and item.score > criterion.max_score:
            errors.append(
                {"loc": [*loc, "score"], "message": f"at most {criterion.max_score.normalize():f}"}
            )
        seen.add(item.criterion)
    if errors:
        raise InvalidInput("The scores are not valid.", errors)
    review.scores = []
    session.flush()
    review.scores = [
        ReviewScore(
            criterion_id=criteria[item.criterion].id or 0,
            score=item.score,
            not_applicable=item.not_applicable,
            comment=item.comment,
        )
        for item in data.scores
    ]
    review.recommendation = data.recommendation
    review.comment = data.comment
    session.add(review)
    bump_version(session, review, "review", updated_at=utcnow())
    return review


def withdraw_assignment(session: Session, *, actor: Actor, review: Review) -> None:
    """Take back an assignment nobody has started (no score, recommendation or comment),
    so that the proposal can be given to another member; recorded in the audit trail."""
    policies.require_assigner(actor)
    if review.status != ReviewStatus.ASSIGNED:
        raise Conflict(
            Message(
                N_("Only an assigned review is withdrawn, not a %(state)s one."),
                {"state": str(review.status)},
            )
        )
    if review.scores or review.recommendation or review.comment:
        raise Conflict(N_("The member has started this review: it is not withdrawn."))
    assert review.id is not None
    record_event(
        session,
        entity_type="review",
        entity_id=review.id,
        action="withdraw_assignment",
        actor=actor,
        data={"proposal_id": review.proposal_id, "reviewer_id": review.reviewer_id},
    )
    session.delete(review)
    session.flush()


def get_review(session: Session, *, actor: Actor, review_id: int) -> Review:
    return get_visible(session, Review, review_id, policies.review_visibility(actor), "Review")


def list_reviews(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    proposal_id: int | None = None,
    call_id: int | None = None,
    status: ReviewStatus | None = None,
    reviewer_id: int | None = None,
) -> tuple[Sequence[Review], str | None]:
    stmt = select(Review).where(policies.reviews_listed_for(actor))
    if proposal_id is not None:
        stmt = stmt.where(col(Review.proposal_id) == proposal_id)
    if call_id is not None:
        stmt = stmt.where(
            col(Review.proposal_id).in_(
                select(col(Proposal.id)).where(col(Proposal.call_id) == call_id)
            )
        )
    if status is not None:
        stmt = stmt.where(col(Review.status) == status)
    if reviewer_id is not None:
        stmt = stmt.where(col(Review.reviewer_id) == reviewer_id)
    return fetch_page(session, stmt, col(Review.id), page)


def reviews_of_proposal(session: Session, *, actor: Actor, proposal: Proposal) -> list[Review]:
    policies.require_review_reader(actor)
    return list(
        session.exec(
            select(Review)
            .where(col(Review.proposal_id) == proposal.id, policies.review_visibility(actor))
            .order_by(col(Review.id))
        ).all()
    )


def to_public_many(session: Session, reviews: Sequence[Review]) -> list[ReviewPublic]:
    """Serialise reviews with two extra queries whatever their number."""
    names = full_names(session, (r.reviewer_id for r in reviews))
    criterion_ids = {s.criterion_id for r in reviews for s in r.scores}
    codes = (
        dict(
            session.execute(
                sa.select(col(CallCriterion.id), col(CallCriterion.code)).where(
                    col(CallCriterion.id).in_(criterion_ids)
                )
            ).all()
        )
        if criterion_ids
        else {}
    )
    return [
        ReviewPublic(
            id=r.id or 0,
            proposal_id=r.proposal_id,
            reviewer_id=r.reviewer_id,
            reviewer_name=names.get(r.reviewer_id, ""),
            status=r.status,
            recommendation=r.recommendation,
            comment=r.comment,
            version=r.version,
            created_at=r.created_at,
            submitted_at=r.submitted_at,
            scores=[
                ScorePublic(
                    criterion=codes[s.criterion_id],
                    score=s.score,
                    not_applicable=s.not_applicable,
                    comment=s.comment,
                )
                for s in r.scores
            ],
        )
        for r in reviews
    ]


def to_public(session: Session, review: Review) -> ReviewPublic:
    return to_public_many(session, [review])[0]


def to_public_for_route(session: Session, _actor: Actor, review: Review) -> ReviewPublic:
    return to_public(session, review)
