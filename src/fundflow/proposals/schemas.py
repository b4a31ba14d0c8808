from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from fundflow.core.inputs import Id, NonBlank, Patch, Version
from fundflow.core.money import Amount, DecimalNumber, Ratio, capped_total
from fundflow.core.reference import CountryCode
from fundflow.proposals.models import (
    BudgetCategory,
    FinancingSource,
    FinancingStatus,
    NomineeKind,
    NomineeResponse,
    ProposalStatus,
)

Text = Annotated[str, Field(max_length=20_000)]
Statement = Annotated[NonBlank, Field(min_length=1, max_length=2_000)]


class BudgetLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: BudgetCategory
    description: NonBlank = Field(min_length=1, max_length=300)
    amount: Amount


class FinancingLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: FinancingSource
    funder_name: str | None = Field(default=None, max_length=200)
    amount: Amount
    status: FinancingStatus = FinancingStatus.REQUESTED


class IndicatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(default=None, description="Keep an existing indicator's id")
    name: NonBlank = Field(min_length=1, max_length=300)
    unit: str | None = Field(default=None, max_length=60)
    baseline: DecimalNumber | None = None
    baseline_year: int | None = Field(default=None, ge=1950, le=2100)
    target: DecimalNumber | None = None


class OutputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: Statement
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=50)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: Statement
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=50)
    outputs: list[OutputIn] = Field(default_factory=list, max_length=50)


class LogframeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goal: Text | None = None
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=30)


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class NominationIn(BaseModel):
    """Who is nominated in an award round, and in which of its categories. A
    self-nomination names the proposal's own organisation; another nominee is told by
    e-mail and may decline."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, max_length=60)
    self_nomination: bool = False
    nominee_name: NonBlank | None = Field(default=None, min_length=2, max_length=200)
    nominee_kind: NomineeKind | None = None
    nominee_email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


class NominationPublic(BaseModel):
    category: str | None
    category_label: str | None = Field(description="In French, as the round names it")
    category_label_en: str | None
    self_nomination: bool
    nominee_name: str | None
    nominee_kind: NomineeKind | None
    nominee_email: str | None
    nominee_response: NomineeResponse | None = Field(
        description="pending once the nominee is told; declined withdraws the nomination"
    )
    nominee_notified_at: datetime | None
    nominee_responded_at: datetime | None


# The nomination's columns on the proposal, as NominationPublic names them.
NOMINATION_FIELDS = tuple(
    name for name in NominationPublic.model_fields if not name.startswith("category_label")
)

# The proposal's own columns, as the content models name them (the lists have tables).
SCALAR_FIELDS = (
    "title",
    "summary",
    "partner_id",
    "country",
    "locality",
    "start_date",
    "end_date",
    "other_funding_requests_declared",
    "extends_project_id",
)


class ProposalContent(BaseModel):
    """Fields an association writes; every one may stay empty while drafting."""

    model_config = ConfigDict(extra="forbid")

    title: NonBlank | None = Field(default=None, min_length=3, max_length=200)
    summary: Text | None = None
    partner_id: Id | None = None
    country: CountryCode | None = None
    locality: str | None = Field(default=None, max_length=120)
    start_date: date | None = None
    end_date: date | None = None
    priorities: list[str] | None = Field(default=None, max_length=30)
    budget_lines: Annotated[list[BudgetLineIn], AfterValidator(capped_total)] | None = Field(
        default=None, max_length=200
    )
    financing_lines: Annotated[list[FinancingLineIn], AfterValidator(capped_total)] | None = Field(
        default=None, max_length=100
    )
    other_funding_requests_declared: bool | None = None
    extends_project_id: Id | None = Field(
        default=None, description="The association's project this proposal continues"
    )
    logframe: LogframeIn | None = None
    nomination: NominationIn | None = Field(
        default=None, description="Only in an award round's call"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> "ProposalContent":
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")
        return self


class ProposalCreate(ProposalContent):
    call_id: Id
    title: NonBlank = Field(min_length=3, max_length=200)
    # Defaults to the caller's organisation, the only one an applicant may name.
    organisation_id: Id | None = None


class ProposalUpdate(Patch, ProposalContent):
    """A partial update: fields left out are unchanged; lists given replace the old ones."""

    clearable = frozenset(SCALAR_FIELDS) - {"title"}

    version: Version | None = None


class BudgetLinePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category: BudgetCategory
    description: str
    amount: Amount


class FinancingLinePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: FinancingSource
    funder_name: str | None
    amount: Amount
    status: FinancingStatus


class IndicatorPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    unit: str | None
    baseline: DecimalNumber | None
    baseline_year: int | None
    target: DecimalNumber | None


class OutputPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    statement: str
    indicators: list[IndicatorPublic]


class OutcomePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    statement: str
    indicators: list[IndicatorPublic]
    outputs: list[OutputPublic]


class LogframePublic(BaseModel):
    goal: str | None
    outcomes: list[OutcomePublic]


class ProposalPublic(BaseModel):
    id: int
    call_id: Id
    organisation_id: Id
    partner_id: Id | None
    title: str
    summary: str | None
    country: str | None
    locality: str | None
    start_date: date | None
    end_date: date | None
    priorities: list[str]
    budget_lines: list[BudgetLinePublic]
    financing_lines: list[FinancingLinePublic]
    other_funding_requests_declared: bool | None
    extends_project_id: Id | None
    logframe: LogframePublic
    nomination: NominationPublic | None = Field(description="Set in an award round's call")
    status: ProposalStatus
    version: int
    currency: str
    total_budget: Amount
    total_financing: Amount
    requested_amount: Amount
    requested_share: Ratio | None
    own_share: Ratio | None
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    project_id: Id | None = Field(description="Set once the proposal is approved")


class EligibilityCheck(BaseModel):
    rule: str
    passed: bool
    message: str


class EligibilityWarning(BaseModel):
    """Not a rule: something the secretariat weighs, such as a similar request."""

    rule: str
    proposal_id: Id = Field(description="The similar proposal")
    message: str


class Eligibility(BaseModel):
    eligible: bool
    checks: list[EligibilityCheck]
    warnings: list[EligibilityWarning]
