from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fundflow.core.inputs import Id, Patch, Version
from fundflow.core.money import Amount, DecimalNumber, Score, Total
from fundflow.core.reference import CountryCode
from fundflow.reviews.models import Recommendation, ReviewStatus
from fundflow.reviews.ranking import FundingStatus

HALF = Decimal("0.5")


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(examples=["relevance"])
    score: DecimalNumber | None = Field(default=None, description="0 to the max, in half points")
    not_applicable: bool = Field(default=False, description="Only for optional criteria")
    comment: str | None = Field(default=None, max_length=5_000)

    @field_validator("score")
    @classmethod
    def _half_points(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and (value < 0 or value % HALF != 0):
            raise ValueError("a score is a non-negative number in half points (e.g. 3.5)")
        return value


class ReviewUpdate(Patch):
    """The reviewer's scores so far; sending it again replaces them."""

    clearable = frozenset({"recommendation", "comment"})

    model_config = ConfigDict(extra="forbid")

    scores: list[ScoreIn] = Field(default_factory=list, max_length=50)
    recommendation: Recommendation | None = None
    comment: str | None = Field(default=None, max_length=20_000)
    version: Version | None = None


class ScorePublic(BaseModel):
    criterion: str
    score: DecimalNumber | None
    not_applicable: bool
    comment: str | None


class ReviewPublic(BaseModel):
    id: int
    proposal_id: Id
    reviewer_id: Id
    reviewer_name: str
    status: ReviewStatus
    recommendation: Recommendation | None
    comment: str | None
    scores: list[ScorePublic]
    version: int
    created_at: datetime
    submitted_at: datetime | None


class AssignReviewer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer_id: Id


class AssignmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewers_per_proposal: int = Field(default=2, ge=1, le=10)


class UnfilledProposal(BaseModel):
    proposal_id: Id
    missing: int
    reason: str


class AssignmentResult(BaseModel):
    assigned: list[ReviewPublic]
    unfilled: list[UnfilledProposal]


class CommissionProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sectors: list[str] = Field(default_factory=list, max_length=50)
    countries: list[CountryCode] = Field(default_factory=list, max_length=100)
    languages: list[str] = Field(default_factory=list, max_length=20)
    affiliated_organisation_ids: list[Id] = Field(default_factory=list)
    affiliated_partner_ids: list[Id] = Field(default_factory=list)
    max_reviews_per_call: int | None = Field(default=None, ge=0, le=200)


class CommissionMemberPublic(BaseModel):
    user_id: Id
    full_name: str
    email: str
    sectors: list[str]
    countries: list[str]
    languages: list[str]
    affiliated_organisation_ids: list[Id]
    affiliated_partner_ids: list[Id]
    max_reviews_per_call: int | None
    open_reviews: int
    submitted_reviews: int


class CriterionRankPublic(BaseModel):
    criterion: str
    mean: Score | None
    threshold: DecimalNumber | None
    passed: bool
    spread: Score | None
    dispersed: bool


class RankingItem(BaseModel):
    proposal_id: Id
    title: str
    organisation_id: Id
    status: str
    requested_amount: Amount
    score: Score | None
    passes_thresholds: bool
    reviews_submitted: int
    dispersion_flag: bool
    rank: int
    cumulative_requested: Amount | None
    funding_status: FundingStatus
    criteria: list[CriterionRankPublic]


class BudgetLine(BaseModel):
    """The money of the call's envelopes, less what is committed from them and what its
    approved projects were granted beyond their commitments: what is ``available`` for the
    proposals still to decide, which alone take places on the line."""

    envelopes_total: Total
    committed: Total
    granted_not_committed: Total
    available: Total
    requested_by_passing: Total
    fundable: int
    reserve: int
    below_threshold: int
    not_yet_scored: int
    funded: int


class Ranking(BaseModel):
    call_id: Id
    budget: BudgetLine
    items: list[RankingItem]


class ReviewerCalibrationPublic(BaseModel):
    reviewer_id: Id
    reviewer_name: str
    proposals: int
    scores: int
    mean: Score
    spread: Score
    offset: Score
    tendency: str


class ProposalCalibrationPublic(BaseModel):
    proposal_id: Id
    score: Score | None
    calibrated_score: Score | None
    delta: Score | None


class CalibrationPublic(BaseModel):
    call_id: Id
    commission_mean: Score | None
    commission_spread: Score | None
    reviewers: list[ReviewerCalibrationPublic]
    proposals: list[ProposalCalibrationPublic]
