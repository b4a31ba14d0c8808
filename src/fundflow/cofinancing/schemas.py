from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from fundflow.cofinancing.models import CommitmentStatus, TrancheStatus
from fundflow.core.inputs import Id, NonBlank
from fundflow.core.money import Amount, Share


class CommitmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    envelope_id: Id
    amount: Amount = Field(gt=0)


class CommitmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: Id
    funder_id: Id
    envelope_id: Id
    amount: Amount
    disbursed: Amount
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


class Ledger(BaseModel):
    project_id: Id
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
    amount: Amount
    available: Amount


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
