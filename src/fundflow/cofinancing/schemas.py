from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fundflow.cofinancing.models import CommitmentStatus, TrancheStatus
from fundflow.core.inputs import Id, NonBlank
from fundflow.core.money import Amount, Share
from fundflow.funders.schemas import ExchangeRateUsed


class CommitmentCreate(BaseModel):
    """An amount in the project's currency (`amount`), or in the funder's
    (`funder_amount`): one of the two; the other is converted at the day's rate."""

    model_config = ConfigDict(extra="forbid")

    envelope_id: Id
    amount: Amount | None = Field(default=None, gt=0, description="In the project's currency")
    funder_amount: Amount | None = Field(
        default=None, gt=0, description="In the funder's (the envelope's) currency"
    )

    @model_validator(mode="after")
    def _one_amount(self) -> "CommitmentCreate":
        if (self.amount is None) == (self.funder_amount is None):
            raise ValueError("give the amount in one currency: amount or funder_amount")
        return self


class CommitmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: Id
    funder_id: Id
    envelope_id: Id
    amount: Amount = Field(description="In the project's (its call's) currency")
    disbursed: Amount
    funder_currency: str
    funder_amount: Amount = Field(description="In the funder's currency")
    funder_disbursed: Amount
    rate_used: ExchangeRateUsed | None = Field(
        description="A copy of the rate converted with (a later change of the rates never "
        "alters it); none in one currency"
    )
    converted_on: date | None = Field(description="The day whose rate was used")
    status: CommitmentStatus
    version: int
    created_at: datetime


class TranchePublic(BaseModel):
    id: int
    share: Share
    amount: Amount
    on: str
    status: TrancheStatus
    due_since: date | None


class DisbursementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tranche_id: Id
    paid_on: date
    reference: NonBlank = Field(min_length=1, max_length=100)


class DisbursementSharePublic(BaseModel):
    commitment_id: Id
    funder_id: Id
    amount: Amount
    funder_currency: str
    funder_amount: Amount = Field(description="The same part in the funder's currency")


class DisbursementPublic(BaseModel):
    id: int
    project_id: Id
    tranche_id: Id
    amount: Amount
    paid_on: date
    reference: str
    shares: list[DisbursementSharePublic]


class FunderLedger(BaseModel):
    funder_id: Id
    funder: str
    envelope_id: Id
    commitment_id: Id
    status: CommitmentStatus
    committed: Amount
    disbursed: Amount
    remaining: Amount
    funder_currency: str
    funder_committed: Amount = Field(description="In the funder's currency")
    funder_disbursed: Amount
    rate_used: ExchangeRateUsed | None


class Ledger(BaseModel):
    """A project's money in its currency, each funder's also in the funder's own."""

    project_id: Id
    currency: str
    granted: Amount
    confirmed: Amount
    proposed: Amount
    disbursed: Amount
    funders: list[FunderLedger]


class AllocationLine(BaseModel):
    project_id: Id
    rank: int
    envelope_id: Id
    funder_id: Id
    amount: Amount


class UnfundedProject(BaseModel):
    project_id: Id
    rank: int
    rule: str
    reason: str


class FunderShare(BaseModel):
    funder_id: Id
    amount: Amount = Field(description="In the call's currency")
    available: Amount = Field(description="In the call's currency, at the day's rate")


class AllocationPlan(BaseModel):
    call_id: Id
    funded: int
    plan: list[AllocationLine]
    unfunded: list[UnfundedProject]
    by_funder: list[FunderShare]


class AllocationApplied(BaseModel):
    call_id: Id
    created: list[CommitmentPublic]
    unfunded: list[UnfundedProject]
