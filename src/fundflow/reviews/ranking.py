"""Order proposals for the commission and draw the budget line. Pure."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from fundflow.reviews.aggregation import ProposalScore


class FundingStatus(StrEnum):
    FUNDABLE = "fundable"
    RESERVE = "reserve"
    BELOW_THRESHOLD = "below_threshold"
    # No submitted review yet: it cannot be judged against the thresholds.
    NOT_YET_SCORED = "not_yet_scored"
    # Already approved: its grant is money spent, not a claim on what is left.
    FUNDED = "funded"
    # Already rejected: no claim on the money either.
    NOT_FUNDED = "not_funded"


@dataclass(slots=True)
class RankingEntry:
    proposal_id: int
    title: str
    organisation_id: int
    requested_amount: Decimal
    submitted_at: datetime | None
    result: ProposalScore
    # The decision already taken, if any: approved (or with conditions) → True, rejected →
    # False, undecided or deferred → None.
    funded: bool | None = None
    rank: int = 0
    cumulative_requested: Decimal | None = None
    funding_status: FundingStatus = FundingStatus.BELOW_THRESHOLD


MISSING = Decimal(-1)  # an unscored proposal or criterion ranks after every scored one


def _sort_key(entry: RankingEntry) -> tuple:  # type: ignore[type-arg]
    """Sorted in reverse: score first, then each criterion in the call's order (results
    come in that order, see aggregation.aggregate), then who submitted first."""
    result = entry.result
    submitted = entry.submitted_at.timestamp() if entry.submitted_at else float("inf")
    return (
        MISSING if result.score is None else result.score,
        *[MISSING if c.mean is None else c.mean for c in result.criteria],
        -submitted,
        -entry.proposal_id,
    )


def rank(entries: Sequence[RankingEntry]) -> list[RankingEntry]:
    """Sort and number the entries (in place: a call can hold thousands)."""
    ordered = sorted(entries, key=_sort_key, reverse=True)
    for position, entry in enumerate(ordered, start=1):
        entry.rank = position
    return ordered


def draw_budget_line(ranked: Sequence[RankingEntry], budget: Decimal) -> list[RankingEntry]:
    """Passing proposals still to decide are fundable down the ranking while their
    cumulative request fits the budget (what is left once the decided grants are counted);
    from the first one that does not fit, the rest are the reserve list. Decided proposals
    and those not yet scored take no place on the line. (Marks the entries in place.)"""
    cumulative = Decimal("0.00")
    line_crossed = False
    for entry in ranked:
        if entry.funded is not None:
            entry.funding_status = (
                FundingStatus.FUNDED if entry.funded else FundingStatus.NOT_FUNDED
            )
            continue
        if entry.result.reviews_submitted == 0:
            entry.funding_status = FundingStatus.NOT_YET_SCORED
            continue
        if not entry.result.passes_thresholds:
            entry.funding_status = FundingStatus.BELOW_THRESHOLD
            continue
        cumulative += entry.requested_amount
        line_crossed = line_crossed or cumulative > budget
        entry.cumulative_requested = cumulative
        entry.funding_status = FundingStatus.RESERVE if line_crossed else FundingStatus.FUNDABLE
    return list(ranked)
