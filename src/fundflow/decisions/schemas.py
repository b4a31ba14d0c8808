from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from fundflow.core.inputs import Id, NonBlank, Patch
from fundflow.core.money import Amount, Score
from fundflow.decisions.models import Outcome

ConditionText = Annotated[NonBlank, Field(min_length=3, max_length=2_000)]


class DecidePayload(BaseModel):
    """What `decide` carries besides the action."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    granted_amount: Amount | None = Field(
        default=None, json_schema_extra={"x-outcomes": ["approved", "approved_with_conditions"]}
    )
    prize_amount: Amount | None = Field(
        default=None,
        description="An award's prize; 0 for an honourable mention",
        json_schema_extra={"x-outcomes": ["awarded"]},
    )
    citation: NonBlank | None = Field(
        default=None,
        min_length=3,
        max_length=2_000,
        description="An award's public text, printed on the certificate",
        json_schema_extra={"x-outcomes": ["awarded", "not_awarded"]},
    )
    conditions: list[ConditionText] = Field(
        default_factory=list,
        max_length=30,
        json_schema_extra={"x-outcomes": ["approved_with_conditions"]},
    )
    rationale: NonBlank = Field(min_length=3, max_length=20_000)
    session_id: Id | None = None


class ConditionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    fulfilled: bool
    fulfilled_at: datetime | None
    note: str | None


class DecisionPublic(BaseModel):
    """The decision as the applicant sees it; the record fields are for staff only."""

    proposal_id: Id
    outcome: Outcome
    granted_amount: Amount | None
    requested_amount: Amount
    prize_amount: Amount | None = Field(description="An award's prize (its granted amount)")
    citation: str | None
    conditions: list[ConditionPublic]
    rationale: str
    decided_at: datetime
    session_id: Id | None
    score: Score | None = None
    rules: dict[str, Any] | None = None
    criteria: list[dict[str, Any]] | None = None


class ConditionUpdate(Patch):
    clearable = frozenset({"note"})

    fulfilled: bool
    note: str | None = Field(default=None, max_length=2_000)


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: date
    title: NonBlank = Field(min_length=3, max_length=200)
    call_id: Id | None = None
    location: str | None = Field(default=None, max_length=200)
    members_present: list[Id] = Field(default_factory=list, max_length=100)


class MemberPresent(BaseModel):
    user_id: Id
    full_name: str


class SessionPublic(BaseModel):
    id: int
    held_on: date
    title: str
    call_id: Id | None
    location: str | None
    members_present: list[MemberPresent]


class MinuteEntry(BaseModel):
    proposal_id: Id
    title: str
    organisation_id: Id
    organisation: str
    currency: str = Field(description="The call's: both amounts are in it")
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
