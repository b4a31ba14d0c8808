from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from fundflow.core.inputs import Id, Patch, Version
from fundflow.core.money import Amount, DecimalNumber, capped_total
from fundflow.monitoring.models import RefundStatus, ReportKind, ReportStatus
from fundflow.proposals.models import BudgetCategory


class ScheduledReport(BaseModel):
    id: int
    kind: ReportKind
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus
    overdue: bool
    days_late: int


class IndicatorValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator_id: Id
    value: DecimalNumber | None = None
    comment: str | None = Field(default=None, max_length=2_000)

    @model_validator(mode="after")
    def _value_or_reason(self) -> "IndicatorValueIn":
        if self.value is None and not (self.comment or "").strip():
            raise ValueError("give a value, or explain in `comment` why it was not measured")
        return self


class ExpenseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: BudgetCategory
    amount: Amount


class ReportUpdate(Patch):
    clearable = frozenset({"narrative", "own_funds_spent"})

    narrative: str | None = Field(default=None, max_length=50_000)
    indicator_values: list[IndicatorValueIn] = Field(default_factory=list, max_length=200)
    expenses: Annotated[list[ExpenseIn], AfterValidator(capped_total)] = Field(
        default_factory=list, max_length=100
    )
    own_funds_spent: Amount | None = None
    version: Version | None = None


class IndicatorValuePublic(BaseModel):
    indicator_id: Id
    value: DecimalNumber | None
    comment: str | None


class ExpensePublic(BaseModel):
    category: str
    amount: Amount


class ReportPublic(BaseModel):
    id: int
    project_id: Id
    kind: ReportKind
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus
    overdue: bool
    narrative: str | None
    indicator_values: list[IndicatorValuePublic]
    expenses: list[ExpensePublic]
    own_funds_spent: Amount | None
    spent_from_grant: Amount
    submitted_at: datetime | None
    approved_at: datetime | None
    version: int


class ReportVersionPublic(BaseModel):
    number: int
    submitted_at: datetime
    submitted_by_id: Id | None
    changes_requested: str | None
    content: dict[str, Any]


class IndicatorProgress(BaseModel):
    indicator_id: Id
    name: str
    unit: str | None
    baseline: DecimalNumber | None
    target: DecimalNumber | None
    actuals: list[dict[str, Any]]
    latest: DecimalNumber | None
    progress_percent: DecimalNumber | None


class DocumentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class RefundPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: Id
    amount: Amount
    status: RefundStatus
    version: int
