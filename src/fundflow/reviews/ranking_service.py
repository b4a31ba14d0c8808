"""The call's ranking and calibration, aggregated in SQL, judged by the pure modules."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.accounts.models import User
from fundflow.calls.models import Call, CallCriterion
from fundflow.calls.service import call_rules
from fundflow.core.money import format_amount
from fundflow.funders.models import Envelope
from fundflow.proposals.models import FinancingLine, FinancingSource, Proposal, ProposalStatus
from fundflow.reviews.aggregation import (
    CriterionSpec,
    CriterionStats,
    ProposalScore,
    ScoredItem,
    aggregate,
    calibrate,
)
from fundflow.reviews.models import Review, ReviewScore, ReviewStatus
from fundflow.reviews.ranking import FundingStatus, RankingEntry, draw_budget_line, rank
from fundflow.reviews.schemas import (
    BudgetLine,
    CalibrationPublic,
    CriterionRankPublic,
    ProposalCalibrationPublic,
    Ranking,
    RankingItem,
    ReviewerCalibrationPublic,
)

RANKED_STATES = (
    ProposalStatus.IN_REVIEW,
    ProposalStatus.APPROVED,
    ProposalStatus.APPROVED_WITH_CONDITIONS,
    ProposalStatus.DEFERRED,
    ProposalStatus.REJECTED,
)
ZERO = Decimal("0.00")


def criterion_specs(call: Call) -> list[CriterionSpec]:
    return [
        CriterionSpec(c.code, c.weight, c.max_score, c.threshold, c.optional) for c in call.criteria
    ]


def scores_for_proposals(
    session: Session, call: Call, proposal_ids: list[int]
) -> dict[int, ProposalScore]:
    """Each proposal's aggregated score: two grouped queries whatever their number."""
    rules = call_rules(call)
    codes = {c.id: c.code for c in call.criteria}
    stats: dict[int, dict[str, CriterionStats]] = defaultdict(dict)
    for proposal_id, criterion_id, count, total, low, high in session.execute(
        sa.select(
            col(Review.proposal_id),
            col(ReviewScore.criterion_id),
            sa.func.count(col(ReviewScore.score)),
            sa.func.sum(col(ReviewScore.score)),
            sa.func.min(col(ReviewScore.score)),
            sa.func.max(col(ReviewScore.score)),
        )
        .join(Review, col(Review.id) == col(ReviewScore.review_id))
        .where(
            col(Review.status) == ReviewStatus.SUBMITTED, col(Review.proposal_id).in_(proposal_ids)
        )
        .group_by(col(Review.proposal_id), col(ReviewScore.criterion_id))
    ).all():
        stats[proposal_id][codes[criterion_id]] = CriterionStats(
            count, total or Decimal(0), low, high
        )
    submitted = dict(
        session.execute(
            sa.select(col(Review.proposal_id), sa.func.count())
            .where(
                col(Review.status) == ReviewStatus.SUBMITTED,
                col(Review.proposal_id).in_(proposal_ids),
            )
            .group_by(col(Review.proposal_id))
        ).all()
    )
    specs = criterion_specs(call)
    return {
        pid: aggregate(
            specs,
            stats.get(pid, {}),
            reviews_submitted=submitted.get(pid, 0),
            overall_threshold=rules.overall_threshold,
            dispersion_limit=rules.dispersion_limit,
        )
        for pid in proposal_ids
    }


def call_budget(session: Session, call: Call) -> tuple[Decimal, Decimal]:
    """Amount and committed of the envelopes attached to the call, or to its year when
    they are not tied to another call and take this kind of call."""
    envelopes = (
        session.execute(
            sa.select(Envelope).where(
                sa.or_(
                    col(Envelope.call_id) == call.id,
                    sa.and_(col(Envelope.call_id).is_(None), col(Envelope.year) == call.year),
                )
            )
        )
        .scalars()
        .all()
    )
    chosen = [
        e
        for e in envelopes
        if e.call_id == call.id or not e.eligible_call_kinds or call.kind in e.eligible_call_kinds
    ]
    return sum((e.amount for e in chosen), ZERO), sum((e.committed for e in chosen), ZERO)


def ranking(session: Session, *, call: Call) -> Ranking:
    in_call = sa.select(col(Proposal.id)).where(
        col(Proposal.call_id) == call.id, col(Proposal.status).in_(RANKED_STATES)
    )
    proposals = session.execute(
        sa.select(
            col(Proposal.id),
            col(Proposal.title),
            col(Proposal.organisation_id),
            col(Proposal.status),
            col(Proposal.submitted_at),
        ).where(col(Proposal.id).in_(in_call))
    ).all()
    requested = dict(
        session.execute(
            sa.select(col(FinancingLine.proposal_id), sa.func.sum(col(FinancingLine.amount)))
            .where(
                col(FinancingLine.source) == FinancingSource.REQUESTED,
                col(FinancingLine.proposal_id).in_(in_call),
            )
            .group_by(col(FinancingLine.proposal_id))
        ).all()
    )
    scores = scores_for_proposals(session, call, [row.id for row in proposals])
    statuses = {row.id: row.status for row in proposals}
    entries = [
        RankingEntry(
            row.id,
            row.title,
            row.organisation_id,
            requested.get(row.id) or ZERO,
            row.submitted_at,
            scores[row.id],
        )
        for row in proposals
    ]
    amount, committed = call_budget(session, call)
    available = amount - committed
    lined = draw_budget_line(rank(entries, [c.code for c in call.criteria]), available)
    passing = [e for e in lined if e.result.passes_thresholds]
    return Ranking(
        call_id=call.id or 0,
        budget=BudgetLine(
            envelopes_total=amount,
            committed=committed,
            available=available,
            requested_by_passing=sum((e.requested_amount for e in passing), ZERO),
            fundable=sum(e.funding_status == FundingStatus.FUNDABLE for e in lined),
            reserve=sum(e.funding_status == FundingStatus.RESERVE for e in lined),
            below_threshold=sum(e.funding_status == FundingStatus.BELOW_THRESHOLD for e in lined),
        ),
        items=[
            RankingItem(
                proposal_id=e.proposal_id,
                title=e.title,
                organisation_id=e.organisation_id,
                status=str(statuses[e.proposal_id]),
                requested_amount=e.requested_amount,
                score=e.result.score,
                passes_thresholds=e.result.passes_thresholds,
                reviews_submitted=e.result.reviews_submitted,
                dispersion_flag=e.result.dispersion_flag,
                rank=e.rank,
                cumulative_requested=e.cumulative_requested,
                funding_status=e.funding_status,
                criteria=[
                    CriterionRankPublic(
                        criterion=c.criterion,
                        mean=c.mean,
                        threshold=c.threshold,
                        passed=c.passed,
                        spread=c.spread,
                        dispersed=c.dispersed,
                    )
                    for c in e.result.criteria
                ],
            )
            for e in lined
        ],
    )


def ranking_csv(result: Ranking, criteria: list[CallCriterion]) -> str:
    """The ranking as a spreadsheet for the commission meeting (one row a proposal)."""
    out = io.StringIO()
    writer = csv.writer(out)
    codes = [c.code for c in criteria]
    writer.writerow(
        [
            "rank",
            "proposal_id",
            "title",
            "organisation_id",
            "status",
            "requested_amount",
            "cumulative_requested",
            "score",
            "passes_thresholds",
            "funding_status",
            "reviews_submitted",
            "dispersion_flag",
            *[f"mean_{code}" for code in codes],
        ]
    )
    for item in result.items:
        means = {c.criterion: c.mean for c in item.criteria}
        writer.writerow(
            [
                item.rank,
                item.proposal_id,
                item.title,
                item.organisation_id,
                item.status,
                format_amount(item.requested_amount),
                format_amount(item.cumulative_requested)
                if item.cumulative_requested is not None
                else "",
                item.score if item.score is not None else "",
                "yes" if item.passes_thresholds else "no",
                item.funding_status,
                item.reviews_submitted,
                "yes" if item.dispersion_flag else "no",
                *[means[code] if means.get(code) is not None else "" for code in codes],
            ]
        )
    return out.getvalue()


def calibration(session: Session, *, call: Call) -> CalibrationPublic:
    codes = {c.id: c.code for c in call.criteria}
    rows = session.execute(
        sa.select(
            col(Review.reviewer_id),
            col(Review.proposal_id),
            col(ReviewScore.criterion_id),
            col(ReviewScore.score),
        )
        .join(Review, col(Review.id) == col(ReviewScore.review_id))
        .join(Proposal, col(Proposal.id) == col(Review.proposal_id))
        .where(
            col(Proposal.call_id) == call.id,
            col(Review.status) == ReviewStatus.SUBMITTED,
            col(ReviewScore.score).is_not(None),
        )
    ).all()
    items = [ScoredItem(r.reviewer_id, r.proposal_id, codes[r.criterion_id], r.score) for r in rows]
    result = calibrate(criterion_specs(call), items)
    names = dict(
        session.execute(
            sa.select(col(User.id), col(User.full_name)).where(
                col(User.id).in_([r.reviewer_id for r in result.reviewers])
            )
        ).all()
    )
    return CalibrationPublic(
        call_id=call.id or 0,
        commission_mean=result.commission_mean,
        commission_spread=result.commission_spread,
        reviewers=[
            ReviewerCalibrationPublic(
                reviewer_id=r.reviewer_id,
                reviewer_name=names.get(r.reviewer_id, ""),
                proposals=r.proposals,
                scores=r.scores,
                mean=r.mean,
                spread=r.spread,
                offset=r.offset,
                tendency=r.tendency,
            )
            for r in result.reviewers
        ],
        proposals=[
            ProposalCalibrationPublic(
                proposal_id=p.proposal_id,
                score=p.score,
                calibrated_score=p.calibrated_score,
                delta=p.delta,
            )
            for p in result.proposals
        ],
    )
