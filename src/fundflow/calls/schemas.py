from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from fundflow.calls.models import CallKind, CallStatus
from fundflow.calls.rules import (
    CallRules,
    Reporting,
    RulesInput,
    TranchePlanItem,
    check_tranche_plan,
)
from fundflow.core.inputs import NonBlank, Patch, Version
from fundflow.core.money import DecimalNumber
from fundflow.core.reference import CurrencyCode

HALF = Decimal("0.5")

CODE_PATTERN = r"^[a-z][a-z0-9_]{0,59}$"


class PriorityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, examples=["water"])
    label: NonBlank = Field(min_length=1, max_length=200)
    label_en: str | None = Field(default=None, max_length=200)


class CategoryIn(BaseModel):
    """A category of an award round (employers, diaspora initiatives, schools…)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, examples=["employer"])
    label: NonBlank = Field(min_length=1, max_length=200)
    label_en: str | None = Field(default=None, max_length=200)


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN)
    label: NonBlank = Field(min_length=1, max_length=200)
    weight: DecimalNumber = Field(gt=0, le=100)
    max_score: DecimalNumber = Field(gt=0, le=100)
    threshold: DecimalNumber | None = Field(default=None, ge=0)
    optional: bool = False
    guidance: dict[str, Annotated[str, Field(min_length=1, max_length=1_000)]] = Field(
        default_factory=dict,
        max_length=21,
        description='What a score means, by level: {"1": "…", "3": "…", "5": "…"}',
        examples=[{"1": "No link with the call's priorities", "5": "At the heart of them"}],
    )

    @model_validator(mode="after")
    def _threshold_within_scale(self) -> "CriterionIn":
        if self.threshold is not None and self.threshold > self.max_score:
            raise ValueError("a criterion's threshold cannot exceed its max_score")
        return self

    @model_validator(mode="after")
    def _guidance_on_the_scale(self) -> "CriterionIn":
        levels = {}
        for level, text in self.guidance.items():
            try:
                value = Decimal(level)
            except InvalidOperation:
                raise ValueError(f"guidance level `{level}` is not a score") from None
            if not value.is_finite() or value < 0 or value > self.max_score or value % HALF:
                raise ValueError(
                    f"guidance level `{level}` is not a score of 0 to {self.max_score} "
                    "in half points"
                )
            levels[f"{value.normalize():f}"] = text
        self.guidance = dict(sorted(levels.items(), key=lambda item: Decimal(item[0])))
        return self


def _unique_codes(items: list[Any]) -> list[Any]:
    codes = [item.code for item in items]
    if len(codes) != len(set(codes)):
        raise ValueError("codes must be unique within a call")
    return items


class CallContent(BaseModel):
    """What a call says; omitted rules, reporting and tranches take the kind's defaults."""

    model_config = ConfigDict(extra="forbid")

    title: NonBlank = Field(min_length=3, max_length=200)
    description: str | None = None
    year: int = Field(ge=2000, le=2100)
    opens_at: datetime
    closes_at: datetime | None = None
    currency: CurrencyCode = "CHF"
    priorities: Annotated[list[PriorityIn], AfterValidator(_unique_codes)] = Field(
        default_factory=list
    )
    criteria: Annotated[list[CriterionIn], AfterValidator(_unique_codes)] = Field(
        default_factory=list
    )
    categories: Annotated[list[CategoryIn], AfterValidator(_unique_codes)] = Field(
        default_factory=list, max_length=30, description="An award round's categories"
    )
    rules: RulesInput | None = None
    reporting: Reporting | None = None
    tranches: list[TranchePlanItem] | None = None

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a timezone, e.g. 2027-03-31T23:59:59Z")
        return value

    @model_validator(mode="after")
    def _window(self) -> "CallContent":
        if self.closes_at is not None and self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        return self

    @field_validator("tranches")
    @classmethod
    def _tranches_add_up(cls, items: list[TranchePlanItem] | None) -> list[TranchePlanItem] | None:
        return None if items is None else check_tranche_plan(items)


class CallCreate(CallContent):
    kind: CallKind


class CallUpdate(Patch):
    """Changes to a draft call; lists given replace the call's lists."""

    clearable = frozenset({"description", "closes_at"})

    model_config = ConfigDict(extra="forbid")

    title: NonBlank | None = Field(default=None, min_length=3, max_length=200)
    description: str | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    currency: CurrencyCode | None = None
    priorities: Annotated[list[PriorityIn], AfterValidator(_unique_codes)] | None = None
    criteria: Annotated[list[CriterionIn], AfterValidator(_unique_codes)] | None = None
    categories: Annotated[list[CategoryIn], AfterValidator(_unique_codes)] | None = Field(
        default=None, max_length=30
    )
    rules: RulesInput | None = None
    reporting: Reporting | None = None
    tranches: list[TranchePlanItem] | None = None
    version: Version | None = None

    @field_validator("tranches")
    @classmethod
    def _tranches_add_up(cls, items: list[TranchePlanItem] | None) -> list[TranchePlanItem] | None:
        return None if items is None else check_tranche_plan(items)


class PriorityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    label_en: str | None


class CriterionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    weight: DecimalNumber
    max_score: DecimalNumber
    threshold: DecimalNumber | None
    optional: bool
    guidance: dict[str, str]


class CallPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: CallKind
    title: str
    description: str | None
    year: int
    opens_at: datetime
    closes_at: datetime | None
    currency: str
    status: CallStatus
    accepting_submissions: bool
    priorities: list[PriorityPublic]
    criteria: list[CriterionPublic]
    rules: CallRules
    reporting: Reporting
    tranches: list[TranchePlanItem]
    categories: list[CategoryIn]
    version: int
