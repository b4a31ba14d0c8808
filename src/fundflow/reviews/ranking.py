"""Order proposals for the commission and draw the budget line. Pure."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from fundflow.reviews.aggregation import ProposalScore


class FundingStatus(StrEnum):
    FUNDABLE = "fundable"
    RESERVE = "reserve"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True)
class RankingEntry:
    proposal_id: int
    title: str
    organisation_id: int
    requested_amount: Decimal
    submitted_at: datetime | None
    result: ProposalScore
    rank: int = 0
    cumulative_requested: Decimal | None = None
    funding_status: FundingStatus = FundingStatus.BELOW_THRESHOLD


def _sort_key(entry: RankingEntry, criteria_order: Sequence[str]) -> tuple:  # type: ignore[type-arg]
    """Score first, then each criterion in the call's order, then who submitted first."""
    missing = Decimal(-1)  # ranks an unscored proposal or criterion after every scored one
    score = entry.result.score if entry.result.score is not None else missing
    means = [entry.result.mean_of(code) for code in criteria_order]
    submitted = entry.submitted_at.timestamp() if entry.submitted_at else float("inf")
    return (
        -score,
        *(-(mean if mean is not None else missing) for mean in means),
        submitted,
        entry.proposal_id,
    )


def rank(entries: Sequence[RankingEntry], criteria_order: Sequence[str]) -> list[RankingEntry]:
    ordered = sorted(entries, key=lambda entry: _sort_key(entry, criteria_order))
    return [replace(entry, rank=position) for position, entry in enumerate(ordered, start=1)]


def draw_budget_line(ranked: Sequence[RankingEntry], budget: Decimal) -> list[RankingEntry]:
    """Passing proposals are fundable down the ranking while their cumulative request fits
    the budget; from the first one that does not fit, the rest are the reserve list."""
    cumulative = Decimal("0.00")
    line_crossed = False
    out = []
    for entry in ranked:
        if not entry.result.passes_thresholds:
            out.append(replace(entry, funding_status=FundingStatus.BELOW_THRESHOLD))
            continue
        cumulative += entry.requested_amount
        line_crossed = line_crossed or cumulative > budget
        status = FundingStatus.RESERVE if line_crossed else FundingStatus.FUNDABLE
        out.append(replace(entry, cumulative_requested=cumulative, funding_status=status))
    return out
