"""The call's ranking and calibration, aggregated in SQL, judged by the pure modules."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from fundflow.accounts.service import full_names
from fundflow.calls.models import Call, CallCriterion
from fundflow.calls.service import call_rules
from fundflow.core.formats import table_csv
from fundflow.core.memory import collector_paused
from fundflow.core.money import ZERO, format_amount, format_decimal
from fundflow.proposals.figures import requested_amount_column
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.aggregation import (
    NO_SCORES,
    CriterionSpec,
    ProposalScore,
    ScoredItem,
    aggregate_in_order,
    calibrate,
)
from fundflow.reviews.call_budget import call_budget, granted_not_committed
from fundflow.reviews.models import Review, ReviewScore, ReviewStatus
from fundflow.reviews.ranking import FundingStatus, RankingEntry, draw_budget_line, rank
from fundflow.reviews.schemas import (
    BudgetLine,
    CalibrationPublic,
    ProposalCalibrationPublic,
    ReviewerCalibrationPublic,
)

RANKED_STATES = (
    ProposalStatus.IN_REVIEW,
    ProposalStatus.APPROVED,
    ProposalStatus.APPROVED_WITH_CONDITIONS,
    ProposalStatus.DEFERRED,
    ProposalStatus.REJECTED,
)
# A decision already taken: approved proposals are funded, rejected ones are not.
DECIDED = {
    ProposalStatus.APPROVED: True,
    ProposalStatus.APPROVED_WITH_CONDITIONS: True,
    ProposalStatus.REJECTED: False,
}


def criterion_specs(call: Call) -> list[CriterionSpec]:
    return [
        CriterionSpec(c.code, c.weight, c.max_score, c.threshold, c.optional) for c in call.criteria
    ]


def pivoted_scores(call: Call, where: ColumnElement[bool], *leading: Any) -> sa.Select[Any]:
    """One row a proposal chosen by ``where``: its id, the ``leading`` columns, its submitted
    reviews, and per criterion the count, sum, lowest and highest submitted score ("not
    applicable" is NULL, so left out of all four). A proposal nobody reviewed has its row."""
    columns: list[Any] = [
        col(Review.proposal_id).label("proposal_id"),
        sa.func.count(sa.distinct(col(Review.id))).label("reviews"),
    ]
    for n, criterion in enumerate(call.criteria):
        score = sa.case((col(ReviewScore.criterion_id) == criterion.id, col(ReviewScore.score)))
        columns += [
            sa.func.count(score).label(f"n{n}"),
            sa.func.sum(score).label(f"sum{n}"),
            sa.func.min(score).label(f"min{n}"),
            sa.func.max(score).label(f"max{n}"),
        ]
    # Grouped over the reviews alone, then joined to the proposals: the grouping stays as
    # narrow as the scores, whatever the proposal columns asked for.
    scores = (
        sa.select(*columns)
        .select_from(Review)
        .outerjoin(ReviewScore, col(ReviewScore.review_id) == col(Review.id))
        .join(Proposal, col(Proposal.id) == col(Review.proposal_id))
        .where(col(Review.status) == ReviewStatus.SUBMITTED, where)
        .group_by(col(Review.proposal_id))
        .subquery("scores")
    )
    statistics = list(scores.c)[1:]
    return (
        sa.select(
            col(Proposal.id),
            *leading,
            sa.func.coalesce(statistics[0], 0),
            *[
                sa.func.coalesce(column, 0) if column.name.startswith("n") else column
                for column in statistics[1:]
            ],
        )
        .select_from(Proposal)
        .outerjoin(scores, scores.c.proposal_id == col(Proposal.id))
        .where(where)
    )


def ranked_proposals(call: Call) -> ColumnElement[bool]:
    return sa.and_(col(Proposal.call_id) == call.id, col(Proposal.status).in_(RANKED_STATES))


class _Scorer:
    """Judges a pivoted row, whose statistics start at column ``start``, by the call's rules."""

    def __init__(self, call: Call, start: int) -> None:
        rules = call_rules(call)
        self.specs = criterion_specs(call)
        self.start = start
        self.end = start + 1 + 4 * len(self.specs)
        self.overall_threshold = rules.overall_threshold
        self.dispersion_limit = rules.dispersion_limit

    def __call__(self, row: tuple[Any, ...]) -> ProposalScore:
        return aggregate_in_order(
            self.specs,
            [row[i : i + 4] for i in range(self.start + 1, self.end, 4)],
            reviews_submitted=row[self.start],
            overall_threshold=self.overall_threshold,
            dispersion_limit=self.dispersion_limit,
        )


def scores_for_proposals(
    session: Session, call: Call, proposal_ids: Iterable[int]
) -> dict[int, ProposalScore]:
    """Each proposal's aggregated score, from one grouped query (``pivoted_scores``)."""
    ids = list(proposal_ids)
    # Core rather than ORM execution: plain rows, no entities to track.
    rows = session.connection().execute(pivoted_scores(call, col(Proposal.id).in_(ids))).all()
    score = _Scorer(call, start=1)
    found = {row[0]: score(row) for row in rows}
    missing = score((None, 0, *NO_SCORES * len(score.specs)))
    return {pid: found.get(pid, missing) for pid in ids}


@dataclass(frozen=True)
class RankingResult:
    call_id: int
    budget: BudgetLine
    entries: list[RankingEntry]
    statuses: dict[int, str]

    def without(self, proposal_ids: frozenset[int]) -> "RankingResult":
        """The same ranking, minus the rows of ``proposal_ids`` (ranks stay as they are)."""
        if not proposal_ids:
            return self
        return replace(self, entries=[e for e in self.entries if e.proposal_id not in proposal_ids])


def ranking(session: Session, *, call: Call) -> RankingResult:
    with collector_paused():
        return _ranking(session, call)


RANKING_LEADING = 5  # title, organisation, status, submitted at, requested amount


def ranking_query(call: Call) -> sa.Select[Any]:
    """The one statement a ranking reads: the ranked proposals, what each requests, and
    their pivoted scores."""
    requested = requested_amount_column()
    return pivoted_scores(
        call,
        ranked_proposals(call),
        col(Proposal.title),
        col(Proposal.organisation_id),
        col(Proposal.status),
        col(Proposal.submitted_at),
        requested,
    )


def _ranking(session: Session, call: Call) -> RankingResult:
    rows = session.connection().execute(ranking_query(call))
    score = _Scorer(call, start=1 + RANKING_LEADING)
    entries = []
    statuses = {}
    for row in rows:
        entries.append(
            RankingEntry(
                row[0], row[1], row[2], row[5] or ZERO, row[4], score(row), DECIDED.get(row[3])
            )
        )
        statuses[row[0]] = str(row[3])
    amount, committed = call_budget(session, call)
    promised = granted_not_committed(session, call)
    available = max(amount - committed - promised, ZERO)
    lined = draw_budget_line(rank(entries), available)
    passing = [
        e for e in lined if e.funding_status in (FundingStatus.FUNDABLE, FundingStatus.RESERVE)
    ]
    return RankingResult(
        call_id=call.id or 0,
        budget=BudgetLine(
            envelopes_total=amount,
            committed=committed,
            granted_not_committed=promised,
            available=available,
            requested_by_passing=sum((e.requested_amount for e in passing), ZERO),
            fundable=sum(e.funding_status == FundingStatus.FUNDABLE for e in lined),
            reserve=sum(e.funding_status == FundingStatus.RESERVE for e in lined),
            below_threshold=sum(e.funding_status == FundingStatus.BELOW_THRESHOLD for e in lined),
            not_yet_scored=sum(e.funding_status == FundingStatus.NOT_YET_SCORED for e in lined),
            funded=sum(e.funding_status == FundingStatus.FUNDED for e in lined),
        ),
        entries=lined,
        statuses=statuses,
    )


def _optional(value: Decimal | None, render: Callable[[Decimal], str]) -> str | None:
    return None if value is None else render(value)


def ranking_document(result: RankingResult) -> dict[str, Any]:
    """The ranking as the `Ranking` schema renders it, built directly as JSON-ready data:
    a ranking holds tens of thousands of numbers, and models for each would cost more
    than the ranking itself (a test checks the document against the schema)."""
    with collector_paused():
        return _document(result)


def _document(result: RankingResult) -> dict[str, Any]:
    # Money and shown scores already carry two places: formatting needs no rounding.
    first = result.entries[0].result.criteria if result.entries else []
    thresholds = {c.criterion: _optional(c.threshold, format_decimal) for c in first}
    return {
        "call_id": result.call_id,
        "budget": result.budget.model_dump(mode="json"),
        "items": [
            {
                "proposal_id": e.proposal_id,
                "title": e.title,
                "organisation_id": e.organisation_id,
                "status": result.statuses[e.proposal_id],
                "requested_amount": f"{e.requested_amount:.2f}",
                "score": None if e.result.score is None else f"{e.result.score:.2f}",
                "passes_thresholds": e.result.passes_thresholds,
                "reviews_submitted": e.result.reviews_submitted,
                "dispersion_flag": e.result.dispersion_flag,
                "rank": e.rank,
                "cumulative_requested": None
                if e.cumulative_requested is None
                else f"{e.cumulative_requested:.2f}",
                "funding_status": str(e.funding_status),
                "criteria": [
                    {
                        "criterion": c.criterion,
                        "mean": None if c.mean is None else f"{c.mean:.2f}",
                        "threshold": thresholds[c.criterion],
                        "passed": c.passed,
                        "spread": None if c.spread is None else f"{c.spread:.2f}",
                        "dispersed": c.dispersed,
                    }
                    for c in e.result.criteria
                ],
            }
            for e in result.entries
        ],
    }


def ranking_csv(result: RankingResult, criteria: list[CallCriterion]) -> str:
    """The ranking as a spreadsheet for the commission meeting (one row a proposal)."""
    codes = [c.code for c in criteria]
    header = [
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
    rows = []
    for e in result.entries:
        means = {c.criterion: c.mean for c in e.result.criteria}
        rows.append(
            [
                e.rank,
                e.proposal_id,
                e.title,
                e.organisation_id,
                result.statuses[e.proposal_id],
                format_amount(e.requested_amount),
                _optional(e.cumulative_requested, format_amount) or "",
                _optional(e.result.score, format_amount) or "",
                "yes" if e.result.passes_thresholds else "no",
                e.funding_status,
                e.result.reviews_submitted,
                "yes" if e.result.dispersion_flag else "no",
                *[_optional(means.get(code), format_amount) or "" for code in codes],
            ]
        )
    return table_csv(header, rows)


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
    names = full_names(session, (r.reviewer_id for r in result.reviewers))
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
