from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from fundflow.core.money import Amount, Score
from fundflow.decisions.models import Outcome

ConditionText = Annotated[str, Field(min_length=3, max_length=2_000)]


class DecidePayload(BaseModel):
    """What `decide` carries besides the action."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    granted_amount: Amount | None = None
    conditions: list[ConditionText] = Field(default_factory=list, max_length=30)
    rationale: str = Field(min_length=3, max_length=20_000)
    session_id: int | None = None


class ConditionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    fulfilled: bool
    fulfilled_at: datetime | None
    note: str | None


class DecisionPublic(BaseModel):
    """The decision as the applicant sees it; the record fields are for staff only."""

    proposal_id: int
    outcome: Outcome
    granted_amount: Amount | None
    requested_amount: Amount
    conditions: list[ConditionPublic]
    rationale: str
    decided_at: datetime
    session_id: int | None
    score: Score | None = None
    rules: dict[str, Any] | None = None
    criteria: list[dict[str, Any]] | None = None


class ConditionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fulfilled: bool
    note: str | None = Field(default=None, max_length=2_000)


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: date
    title: str = Field(min_length=3, max_length=200)
    call_id: int | None = None
    location: str | None = Field(default=None, max_length=200)
    members_present: list[int] = Field(default_factory=list, max_length=100)


class MemberPresent(BaseModel):
    user_id: int
    full_name: str


class SessionPublic(BaseModel):
    id: int
    held_on: date
    title: str
    call_id: int | None
    location: str | None
    members_present: list[MemberPresent]


class MinuteEntry(BaseModel):
    proposal_id: int
    title: str
    organisation_id: int
    organisation: str
    requested_amount: Amount
    score: Score | None
    outcome: Outcome
    granted_amount: Amount | None
    conditions: list[str]
    rationale: str
    decided_at: datetime


class Minutes(BaseModel):
    session: SessionPublic
    decisions: list[MinuteEntry]
