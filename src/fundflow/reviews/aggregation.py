"""Scores of a proposal from its submitted reviews, and reviewer calibration.

Pure: no database. Per criterion the mean of the submitted scores ("not applicable"
left out, never counted as 0); the proposal's score is the weighted mean of the criteria
means, each taken as a share of its max score, on a 0–100 scale. What is shown (means
and score, two decimals) is what is judged against the thresholds.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def shown(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: Decimal
    max_score: Decimal
    threshold: Decimal | None = None
    optional: bool = False


class CriterionStats(NamedTuple):
    """The submitted scores of one criterion for one proposal, n/a excluded."""

    scored: int
    total: Decimal
    low: Decimal | None
    high: Decimal | None

    @classmethod
    def of(cls, scores: Iterable[Decimal | None]) -> "CriterionStats":
        given = [score for score in scores if score is not None]
        return cls(
            len(given), sum(given, Decimal(0)), min(given, default=None), max(given, default=None)
        )

    @property
    def mean(self) -> Decimal | None:
        return self.total / self.scored if self.scored else None


NO_SCORES = CriterionStats(0, Decimal(0), None, None)


class CriterionResult(NamedTuple):
    criterion: str
    mean: Decimal | None
    threshold: Decimal | None
    passed: bool
    spread: Decimal | None
    dispersed: bool


# Tuples rather than dataclasses: a call's ranking builds tens of thousands of them.
class ProposalScore(NamedTuple):
    score: Decimal | None
    passes_thresholds: bool
    reviews_submitted: int
    dispersion_flag: bool
    criteria: list[CriterionResult]

    def mean_of(self, code: str) -> Decimal | None:
        return next((c.mean for c in self.criteria if c.criterion == code), None)


def aggregate(
    criteria: Sequence[CriterionSpec],
    stats: Mapping[str, CriterionStats],
    *,
    reviews_submitted: int,
    overall_threshold: Decimal,
    dispersion_limit: Decimal,
) -> ProposalScore:
    return aggregate_in_order(
        criteria,
        [stats.get(spec.code, NO_SCORES) for spec in criteria],
        reviews_submitted=reviews_submitted,
        overall_threshold=overall_threshold,
        dispersion_limit=dispersion_limit,
    )


def aggregate_in_order(
    criteria: Sequence[CriterionSpec],
    stats: Sequence[tuple[Any, ...]],
    *,
    reviews_submitted: int,
    overall_threshold: Decimal,
    dispersion_limit: Decimal,
) -> ProposalScore:
    """`aggregate` with the statistics given in the criteria's order, as (scored, total,
    low, high) tuples: what a grouped query returns, without building a mapping."""
    results = []
    weighted, weights = Decimal(0), Decimal(0)
    for spec, (scored, total, low, high) in zip(criteria, stats, strict=True):
        if scored:
            exact = total / scored
            mean: Decimal | None = exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            weighted += spec.weight * exact / spec.max_score
            weights += spec.weight
            passed = spec.threshold is None or mean >= spec.threshold  # type: ignore[operator]
        else:
            # A required criterion nobody scored fails; an optional one all found
            # not applicable is simply left out.
            mean = None
            passed = spec.optional and reviews_submitted > 0
        spread = high - low if high is not None and low is not None else None
        dispersed = spread is not None and spread > dispersion_limit
        results.append(CriterionResult(spec.code, mean, spec.threshold, passed, spread, dispersed))
    score = shown(weighted / weights * HUNDRED) if weights else None
    passes = (
        score is not None
        and score >= overall_threshold
        and all(result.passed for result in results)
    )
    return ProposalScore(
        score, passes, reviews_submitted, any(r.dispersed for r in results), results
    )


# --- calibration -------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredItem:
    """One reviewer's score on one criterion of one proposal."""

    reviewer_id: int
    proposal_id: int
    criterion: str
    score: Decimal


@dataclass(frozen=True)
class ReviewerTendency:
    reviewer_id: int
    proposals: int
    scores: int
    mean: Decimal  # on 0–100: scores as a share of the criterion's max
    spread: Decimal  # standard deviation, same scale
    offset: Decimal  # mean minus the commission's mean
    tendency: str  # "lenient", "harsh" or "typical"


@dataclass(frozen=True)
class CalibratedScore:
    proposal_id: int
    score: Decimal | None
    calibrated_score: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.score is None or self.calibrated_score is None:
            return None
        return self.calibrated_score - self.score


@dataclass(frozen=True)
class Calibration:
    commission_mean: Decimal | None
    commission_spread: Decimal | None
    reviewers: list[ReviewerTendency]
    proposals: list[CalibratedScore]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _spread(values: Sequence[Decimal], mean: Decimal) -> Decimal:
    return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


# A reviewer whose mean sits this many commission standard deviations away is flagged.
TENDENCY_Z = Decimal("0.5")


def calibrate(criteria: Sequence[CriterionSpec], items: Sequence[ScoredItem]) -> Calibration:
    """Each reviewer against the commission, and scores on standardised reviewer scales.

    A reviewer's scores are rescaled to the commission's mean and spread (z-scores); a
    reviewer with a single score or no spread is only shifted by their offset.
    """
    specs = {spec.code: spec for spec in criteria}
    share = {id(item): item.score / specs[item.criterion].max_score * HUNDRED for item in items}
    if not items:
        return Calibration(None, None, [], [])
    everyone = list(share.values())
    c_mean = _mean(everyone)
    c_spread = _spread(everyone, c_mean)
    by_reviewer: dict[int, list[ScoredItem]] = defaultdict(list)
    for item in items:
        by_reviewer[item.reviewer_id].append(item)

    tendencies, calibrated = [], {}
    for reviewer_id, own in sorted(by_reviewer.items()):
        values = [share[id(item)] for item in own]
        r_mean = _mean(values)
        r_spread = _spread(values, r_mean)
        offset = r_mean - c_mean
        z = offset / c_spread if c_spread else Decimal(0)
        tendency = "lenient" if z >= TENDENCY_Z else "harsh" if z <= -TENDENCY_Z else "typical"
        tendencies.append(
            ReviewerTendency(
                reviewer_id=reviewer_id,
                proposals=len({item.proposal_id for item in own}),
                scores=len(own),
                mean=shown(r_mean),
                spread=shown(r_spread),
                offset=shown(offset),
                tendency=tendency,
            )
        )
        for item, value in zip(own, values, strict=True):
            if r_spread and len(values) > 1:
                adjusted = c_mean + (value - r_mean) * c_spread / r_spread
            else:
                adjusted = value - r_mean + c_mean
            calibrated[id(item)] = min(max(adjusted, Decimal(0)), HUNDRED)

    by_proposal: dict[int, list[ScoredItem]] = defaultdict(list)
    for item in items:
        by_proposal[item.proposal_id].append(item)
    proposals = []
    for proposal_id, mine in sorted(by_proposal.items()):
        proposals.append(
            CalibratedScore(
                proposal_id=proposal_id,
                score=_weighted(criteria, mine, share),
                calibrated_score=_weighted(criteria, mine, calibrated),
            )
        )
    return Calibration(shown(c_mean), shown(c_spread), tendencies, proposals)


def _weighted(
    criteria: Sequence[CriterionSpec], items: Sequence[ScoredItem], values: Mapping[int, Decimal]
) -> Decimal | None:
    total, weights = Decimal(0), Decimal(0)
    for spec in criteria:
        mine = [values[id(item)] for item in items if item.criterion == spec.code]
        if mine:
            total += spec.weight * _mean(mine)
            weights += spec.weight
    return shown(total / weights) if weights else None
