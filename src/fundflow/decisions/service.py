"""Funding decisions, their conditions, and the commission sessions they are taken in."""

from collections.abc import Iterator
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call, CallKind
from fundflow.calls.service import call_rules
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, Violation, not_found
from fundflow.core.messages import N_, Message
from fundflow.core.money import format_amount
from fundflow.core.transitions import record_event
from fundflow.core.workflow import TransitionContext
from fundflow.decisions import policies
from fundflow.decisions.models import (
    CommissionSession,
    Decision,
    DecisionCondition,
    Outcome,
)
from fundflow.decisions.schemas import (
    ConditionPublic,
    ConditionUpdate,
    DecidePayload,
    DecisionPublic,
)
from fundflow.projects.service import create_from_proposal
from fundflow.proposals.figures import figures
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.models import Review, ReviewStatus
from fundflow.reviews.ranking_service import scores_for_proposals

APPROVALS = (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS)
AWARD_OUTCOMES = (Outcome.AWARDED, Outcome.NOT_AWARDED)


# --- guards and effects of the proposal's `decide` and `fulfil_conditions` -------------


def outcomes_for(proposal: Proposal) -> list[str]:
    """The outcomes a decision on ``proposal`` may have: an award round's, or a grant's."""
    award_round = proposal.call.kind == CallKind.AWARD
    return [o.value for o in Outcome if (o in AWARD_OUTCOMES) == award_round]


def enough_reviews(ctx: TransitionContext[Proposal]) -> Iterator[Violation]:
    proposal: Proposal = ctx.entity
    needed = call_rules(proposal.call).min_reviews
    submitted = (
        ctx.session.scalar(
            sa.select(sa.func.count())
            .select_from(Review)
            .where(
                col(Review.proposal_id) == proposal.id, col(Review.status) == ReviewStatus.SUBMITTED
            )
        )
        or 0
    )
    if submitted < needed:
        yield Violation(
            "min_reviews",
            Message(
                N_("%(submitted)s review(s) in; the call requires %(needed)s before a decision."),
                {"submitted": submitted, "needed": needed},
            ),
        )


def decision_terms(ctx: TransitionContext[Proposal]) -> Iterator[Violation]:
    """The amount and conditions must fit the outcome; checked when a decision is sent."""
    if ctx.params is None:  # listing the actions: nothing sent yet
        return
    params = ctx.params_as(DecidePayload)
    requested = figures(ctx.entity).requested_amount
    # The outcome is one of this call kind's: the engine took it from ``outcomes_for``.
    if params.outcome in AWARD_OUTCOMES:
        yield from _award_terms(params)
        return
    if params.prize_amount is not None or params.citation is not None:
        yield Violation("prize_amount", N_("Only an award carries a prize and a citation."))
    if params.outcome in APPROVALS:
        if params.granted_amount is None or params.granted_amount <= 0:
            yield Violation("granted_amount", N_("An approval states the granted amount."))
        elif params.granted_amount > requested:
            yield Violation(
                "granted_amount",
                Message(
                    N_("The granted amount %(granted)s exceeds the %(requested)s requested."),
                    {
                        "granted": format_amount(params.granted_amount),
                        "requested": format_amount(requested),
                    },
                ),
            )
    elif params.granted_amount is not None:
        yield Violation(
            "granted_amount",
            Message(N_("A `%(outcome)s` decision grants nothing."), {"outcome": params.outcome}),
        )
    if params.outcome == Outcome.APPROVED_WITH_CONDITIONS and not params.conditions:
        yield Violation("conditions", N_("A conditional approval lists its conditions."))
    if params.outcome != Outcome.APPROVED_WITH_CONDITIONS and params.conditions:
        yield Violation("conditions", N_("Only a conditional approval carries conditions."))
    if params.session_id is not None:
        session_row = ctx.session.get(CommissionSession, params.session_id)
        if session_row is None:
            yield Violation(
                "session",
                Message(N_("Commission session %(id)s does not exist."), {"id": params.session_id}),
            )
        elif session_row.call_id not in (None, ctx.entity.call_id):
            yield Violation("session", N_("That commission session is about another call."))


def _award_terms(params: DecidePayload) -> Iterator[Violation]:
    if params.granted_amount is not None or params.conditions:
        yield Violation(
            "granted_amount",
            N_("An award states its prize_amount; it grants nothing and sets no conditions."),
        )
    if params.outcome == Outcome.AWARDED:
        if params.prize_amount is None:
            yield Violation(
                "prize_amount",
                N_("An award states its prize_amount (0 for an honourable mention)."),
            )
        if params.citation is None:
            yield Violation("citation", N_("An award carries its citation."))
    elif params.prize_amount is not None:
        yield Violation("prize_amount", N_("A nomination not awarded gets no prize."))


def record_decision(ctx: TransitionContext[Proposal]) -> None:
    """The decision, with the rules and scores it is taken under. A deferred proposal
    decided at a later session has its decision taken again: the record says what holds
    now, and the audit trail keeps the deferral (its event carries that decision)."""
    params = ctx.params_as(DecidePayload)
    proposal = ctx.entity
    assert proposal.id is not None
    call: Call = proposal.call
    result = scores_for_proposals(ctx.session, call, [proposal.id])[proposal.id]
    deferred = ctx.session.exec(
        select(Decision).where(col(Decision.proposal_id) == proposal.id)
    ).first()
    if deferred is not None:
        ctx.session.delete(deferred)
        ctx.session.flush()
    decision = Decision(
        proposal_id=proposal.id,
        session_id=params.session_id,
        outcome=params.outcome,
        granted_amount=(
            params.prize_amount if params.outcome == Outcome.AWARDED else params.granted_amount
        ),
        requested_amount=figures(proposal).requested_amount,
        rationale=params.rationale,
        citation=params.citation,
        rules=dict(call.rules),
        criteria=[
            {
                "code": c.code,
                "label": c.label,
                "weight": str(c.weight),
                "max_score": str(c.max_score),
                "threshold": str(c.threshold) if c.threshold is not None else None,
                "optional": c.optional,
            }
            for c in call.criteria
        ],
        scores={
            "score": str(result.score) if result.score is not None else None,
            "passes_thresholds": result.passes_thresholds,
            "reviews_submitted": result.reviews_submitted,
            "criteria": {
                c.criterion: str(c.mean) if c.mean is not None else None for c in result.criteria
            },
        },
        decided_by_id=ctx.actor.id,
        conditions=[
            DecisionCondition(position=i, text=text) for i, text in enumerate(params.conditions)
        ],
    )
    ctx.session.add(decision)
    if params.outcome == Outcome.APPROVED:
        assert params.granted_amount is not None
        create_from_proposal(
            ctx.session, actor=ctx.actor, proposal=proposal, granted_amount=params.granted_amount
        )
    elif params.outcome == Outcome.AWARDED and params.prize_amount:
        # The prize is paid through the ledger as a project of a day: one tranche, no reports.
        today = utcnow().date()
        create_from_proposal(
            ctx.session,
            actor=ctx.actor,
            proposal=proposal,
            granted_amount=params.prize_amount,
            dates=(today, today),
        )


def conditions_fulfilled(ctx: TransitionContext[Proposal]) -> Iterator[Violation]:
    assert ctx.entity.id is not None
    decision = _decision_of(ctx.session, ctx.entity.id)
    open_items = [c.text for c in decision.conditions if c.fulfilled_at is None]
    if open_items:
        yield Violation(
            "conditions_fulfilled",
            Message(
                N_("%(count)s condition(s) still open: %(items)s"),
                {"count": len(open_items), "items": "; ".join(open_items)},
            ),
        )


def approve_after_conditions(ctx: TransitionContext[Proposal]) -> None:
    assert ctx.entity.id is not None
    decision = _decision_of(ctx.session, ctx.entity.id)
    assert decision.granted_amount is not None
    create_from_proposal(
        ctx.session, actor=ctx.actor, proposal=ctx.entity, granted_amount=decision.granted_amount
    )


# --- reading decisions and ticking conditions -------------------------------------------


def _decision_of(session: Session, proposal_id: int) -> Decision:
    decision = session.exec(
        select(Decision).where(col(Decision.proposal_id) == proposal_id)
    ).first()
    if decision is None:
        raise not_found("Decision on proposal", proposal_id)
    return decision


def decision_for(session: Session, *, actor: Actor, proposal: Proposal) -> DecisionPublic:
    assert proposal.id is not None
    decision = _decision_of(session, proposal.id)
    staff = policies.sees_decision_grounds(actor)
    award = decision.outcome in AWARD_OUTCOMES
    return DecisionPublic(
        proposal_id=proposal.id,
        outcome=decision.outcome,
        granted_amount=None if award else decision.granted_amount,
        prize_amount=decision.granted_amount if award else None,
        citation=decision.citation,
        requested_amount=decision.requested_amount,
        conditions=[_condition(c) for c in decision.conditions],
        rationale=decision.rationale,
        decided_at=decision.decided_at,
        session_id=decision.session_id,
        score=Decimal(decision.scores["score"]) if staff and decision.scores.get("score") else None,
        rules=decision.rules if staff else None,
        criteria=decision.criteria if staff else None,
    )


def _condition(condition: DecisionCondition) -> ConditionPublic:
    return ConditionPublic(
        id=condition.id or 0,
        text=condition.text,
        fulfilled=condition.fulfilled_at is not None,
        fulfilled_at=condition.fulfilled_at,
        note=condition.note,
    )


def update_condition(
    session: Session, *, actor: Actor, proposal: Proposal, condition_id: int, data: ConditionUpdate
) -> ConditionPublic:
    policies.require_condition_editor(actor)
    if proposal.status != ProposalStatus.APPROVED_WITH_CONDITIONS:
        raise Conflict("Conditions are ticked while the approval is conditional.")
    assert proposal.id is not None
    decision = _decision_of(session, proposal.id)
    condition = next((c for c in decision.conditions if c.id == condition_id), None)
    if condition is None:
        raise not_found("Condition", condition_id)
    condition.fulfilled_at = utcnow() if data.fulfilled else None
    condition.fulfilled_by_id = actor.id if data.fulfilled else None
    condition.note = data.note
    session.add(condition)
    record_event(
        session,
        entity_type="proposal",
        entity_id=proposal.id,
        action="fulfil_condition" if data.fulfilled else "reopen_condition",
        actor=actor,
        comment=data.note,
        data={"condition_id": condition_id},
    )
    session.flush()
    return _condition(condition)
