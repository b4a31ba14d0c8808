"""The review's state machine: assigned → submitted, assigned → declined (conflict)."""

from collections.abc import Iterator

from fundflow.calls.models import CallCriterion
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Violation
from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, TransitionContext, transition
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.models import Review, ReviewStatus

S = ReviewStatus


def proposal_in_review(ctx: TransitionContext[Review]) -> Iterator[Violation]:
    proposal = ctx.session.get(Proposal, ctx.entity.proposal_id)
    if proposal is None or proposal.status != ProposalStatus.IN_REVIEW:
        yield Violation("proposal_in_review", "The proposal is no longer under review.")


def every_required_criterion_scored(ctx: TransitionContext[Review]) -> Iterator[Violation]:
    review: Review = ctx.entity
    proposal = ctx.session.get(Proposal, review.proposal_id)
    assert proposal is not None
    answered = {score.criterion_id for score in review.scores}
    criteria: list[CallCriterion] = proposal.call.criteria
    missing = [c.code for c in criteria if c.id not in answered]
    if missing:
        yield Violation("criteria_scored", f"Score every criterion first: {', '.join(missing)}.")


def has_recommendation(ctx: TransitionContext[Review]) -> Iterator[Violation]:
    if ctx.entity.recommendation is None:
        yield Violation("recommendation", "Give a recommendation (approve, defer, reject...).")


def mark_submitted(ctx: TransitionContext[Review]) -> None:
    ctx.entity.submitted_at = utcnow()
    ctx.session.add(ctx.entity)


REVIEW_MACHINE: Machine[Review] = Machine(
    entity_type="review",
    states=frozenset(S),
    transitions=(
        transition(
            "submit",
            [S.ASSIGNED],
            S.SUBMITTED,
            [Role.COMMISSION],
            guards=(proposal_in_review, every_required_criterion_scored, has_recommendation),
            effects=(mark_submitted,),
        ),
        transition(
            "declare_conflict", [S.ASSIGNED], S.DECLINED, [Role.COMMISSION], comment_required=True
        ),
    ),
)
