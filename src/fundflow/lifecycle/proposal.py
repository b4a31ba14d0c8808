"""The proposal's state machine, from draft to decision (DOMAIN.md, CONTRACT.md)."""

from collections.abc import Iterator

from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Violation
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, TransitionContext, transition
from fundflow.decisions.models import Outcome
from fundflow.decisions.schemas import DecidePayload
from fundflow.decisions.service import (
    approve_after_conditions,
    conditions_fulfilled,
    decision_terms,
    enough_reviews,
    outcomes_for,
    record_decision,
)
from fundflow.proposals.models import NomineeResponse, Proposal, ProposalStatus
from fundflow.proposals.nominations import ANSWERABLE, NOMINEE, await_nominee, is_award
from fundflow.proposals.service import eligibility_checks

S = ProposalStatus
NOMINEE_ANSWERS = list(ANSWERABLE)


def eligible(ctx: TransitionContext[Proposal]) -> Iterator[Violation]:
    for check in eligibility_checks(ctx.session, ctx.entity):
        if not check.passed:
            yield Violation(check.rule, check.explanation)


def mark_submitted(ctx: TransitionContext[Proposal]) -> None:
    proposal = ctx.entity
    now = utcnow()
    if proposal.submitted_at is None:
        proposal.submitted_at = now
    proposal.updated_at = now
    if is_award(proposal.call):
        await_nominee(proposal)
    ctx.session.add(proposal)


def nominated_by_others(ctx: TransitionContext[Proposal]) -> Iterator[Violation]:
    if not is_award(ctx.entity.call) or ctx.entity.self_nomination:
        yield Violation("nomination", N_("Only the nominee of a nomination by others declines."))


def record_declined(ctx: TransitionContext[Proposal]) -> None:
    ctx.entity.nominee_response = NomineeResponse.DECLINED
    ctx.entity.nominee_responded_at = utcnow()
    ctx.session.add(ctx.entity)


PROPOSAL_MACHINE: Machine[Proposal] = Machine(
    entity_type="proposal",
    states=frozenset(S),
    transitions=(
        transition(
            "submit",
            [S.DRAFT, S.REVISION_REQUESTED],
            S.SUBMITTED,
            [Role.APPLICANT],
            guards=(eligible,),
            effects=(mark_submitted,),
        ),
        transition(
            "withdraw",
            [S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.IN_REVIEW, S.DEFERRED],
            S.WITHDRAWN,
            [Role.APPLICANT],
        ),
        # The nominee's answer through their link: the nomination leaves the round.
        transition(
            "decline_nomination",
            NOMINEE_ANSWERS,
            S.WITHDRAWN,
            [NOMINEE],
            guards=(nominated_by_others,),
            effects=(record_declined,),
        ),
        transition(
            "return_for_revision",
            [S.SUBMITTED],
            S.REVISION_REQUESTED,
            [Role.SECRETARIAT],
            comment_required=True,
        ),
        transition(
            "declare_ineligible",
            [S.SUBMITTED],
            S.INELIGIBLE,
            [Role.SECRETARIAT],
            comment_required=True,
        ),
        transition("accept_for_review", [S.SUBMITTED], S.IN_REVIEW, [Role.SECRETARIAT]),
        # A deferred proposal is taken up again at a later session.
        transition(
            "decide",
            [S.IN_REVIEW, S.DEFERRED],
            S.APPROVED,
            [Role.SECRETARIAT],
            guards=(enough_reviews, decision_terms),
            effects=(record_decision,),
            payload_model=DecidePayload,
            target_field="outcome",
            targets={outcome.value: S(outcome.value) for outcome in Outcome},
            choices=outcomes_for,
        ),
        transition(
            "fulfil_conditions",
            [S.APPROVED_WITH_CONDITIONS],
            S.APPROVED,
            [Role.SECRETARIAT],
            guards=(conditions_fulfilled,),
            effects=(approve_after_conditions,),
        ),
    ),
)
