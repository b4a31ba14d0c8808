from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, computed_field

from fundflow.calls.models import CallKind
from fundflow.core.inputs import Id, NonBlank, Patch, Version
from fundflow.core.money import Amount, Share
from fundflow.core.reference import CountryCode
from fundflow.funders.models import FunderLevel

Year = Annotated[int, Field(ge=1900, le=2100)]


class FunderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NonBlank = Field(min_length=2, max_length=200)
    level: FunderLevel
    named_publicly: bool = Field(
        default=True, description="Named on the public register beside the projects it funds"
    )


class FunderPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    level: FunderLevel
    named_publicly: bool


class EnvelopeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, max_length=200)
    call_id: Id | None = None
    eligible_countries: list[CountryCode] = Field(default_factory=list)
    eligible_call_kinds: list[CallKind] = Field(default_factory=list)
    use_abroad_only: bool = False
    max_share_per_project: Share | None = None
    max_amount_per_project: Amount | None = None


class EnvelopeCreate(EnvelopeRules):
    year: Year = Field(ge=2000, le=2100)
    amount: Amount


class EnvelopeUpdate(Patch):
    clearable = frozenset({"label", "max_share_per_project", "max_amount_per_project"})

    amount: Amount | None = None
    label: str | None = Field(default=None, max_length=200)
    eligible_countries: list[CountryCode] | None = None
    eligible_call_kinds: list[CallKind] | None = None
    use_abroad_only: bool | None = None
    max_share_per_project: Share | None = None
    max_amount_per_project: Amount | None = None
    version: Version | None = None


class EnvelopePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    funder_id: Id
    year: int
    label: str | None
    call_id: Id | None
    amount: Amount
    committed: Amount
    disbursed: Amount
    eligible_countries: list[str]
    eligible_call_kinds: list[CallKind]
    use_abroad_only: bool
    max_share_per_project: Share | None
    max_amount_per_project: Amount | None
    version: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available(self) -> Amount:
        return Decimal(self.amount) - Decimal(self.committed)
