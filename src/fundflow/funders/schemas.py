from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    computed_field,
    model_validator,
)

from fundflow.calls.models import CallKind
from fundflow.core.inputs import Id, NonBlank, Patch, Version
from fundflow.core.money import Amount, Share, format_decimal, parse_rate
from fundflow.core.reference import CountryCode, CurrencyCode
from fundflow.funders.models import FunderLevel

Year = Annotated[int, Field(ge=1900, le=2100)]


class FunderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NonBlank = Field(min_length=2, max_length=200)
    level: FunderLevel
    named_publicly: bool = Field(
        default=True, description="Named on the public register beside the projects it funds"
    )
    currency: CurrencyCode = Field(
        default="CHF", description="The currency of its envelopes and commitments (ISO 4217)"
    )


class FunderPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    level: FunderLevel
    named_publicly: bool
    currency: str


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
    currency: str = Field(description="The funder's: every amount of the envelope is in it")
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


Rate = Annotated[
    Decimal,
    BeforeValidator(parse_rate),
    PlainSerializer(format_decimal, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "examples": ["0.9351"],
            "description": "What one unit of the base currency is worth in the quote currency "
            "(positive, at most eight decimal places).",
        }
    ),
]


def _two_currencies(model: "ExchangeRateCreate") -> "ExchangeRateCreate":
    if model.base == model.quote:
        raise ValueError("a rate is between two different currencies")
    return model


class ExchangeRateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valid_from: date = Field(description="The first day the rate applies")
    base: CurrencyCode
    quote: CurrencyCode
    rate: Rate
    source: NonBlank = Field(max_length=200, examples=["AFC/ESTV, moyenne mensuelle novembre 2026"])

    _check = model_validator(mode="after")(_two_currencies)


class RatesImported(BaseModel):
    imported: int = Field(description="Rates added")
    unchanged: int = Field(description="Rates already there, identical")


class ConversionPublic(BaseModel):
    """An amount converted, with the rate used (kept with what it was converted for)."""

    amount: Amount
    currency: str
    converted: Amount
    to_currency: str
    rate: Rate = Field(description="One unit of `currency` in `to_currency`, as applied")
    used: "ExchangeRateUsed | None" = Field(description="The rate row; none in one currency")


class ExchangeRateUsed(BaseModel):
    """A copy of the rate row a conversion used: one `base` is worth `rate` `quote`."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    valid_from: date
    base: str
    quote: str
    rate: Rate
    source: str


class ExchangeRatePublic(ExchangeRateUsed):
    """A rate recorded: one `base` is worth `rate` `quote` from `valid_from` on."""

    created_at: datetime
