"""A call's rules, reporting cadence and tranche plan, with DOMAIN.md's defaults per kind."""

from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fundflow.calls.models import CallKind
from fundflow.core.money import Amount, DecimalNumber, Share
from fundflow.core.reference import CountryCode


class CallRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_request: Amount | None = None
    max_request: Amount | None = None
    max_requested_share: Share
    min_own_share: Share
    max_duration_months: int = Field(ge=1, le=120)
    requires_partner: bool
    members_only: bool
    # What a submission must hold besides its summary: an award nomination needs neither a
    # budget and financing plan nor a logframe (with the dates it spans), and its prize asks
    # for no reports. Rules stored before these existed read as True.
    requires_budget: bool = True
    requires_logframe: bool = True
    requires_reports: bool = True
    # Empty: any country. Integration calls take place in Switzerland (the canton).
    eligible_countries: list[CountryCode] = Field(default_factory=list)
    min_reviews: int = Field(ge=0, le=20)
    overall_threshold: DecimalNumber = Field(ge=0, le=100)
    dispersion_limit: DecimalNumber = Field(ge=0)

    @model_validator(mode="after")
    def _range(self) -> "CallRules":
        if (
            self.min_request is not None
            and self.max_request is not None
            and self.min_request > self.max_request
        ):
            raise ValueError("min_request cannot exceed max_request")
        return self


class RulesInput(BaseModel):
    """Rules as a client states them: whatever is left out takes the kind's default."""

    model_config = ConfigDict(extra="forbid")

    min_request: Amount | None = None
    max_request: Amount | None = None
    max_requested_share: Share | None = None
    min_own_share: Share | None = None
    max_duration_months: int | None = Field(default=None, ge=1, le=120)
    requires_partner: bool | None = None
    members_only: bool | None = None
    requires_budget: bool | None = None
    requires_logframe: bool | None = None
    requires_reports: bool | None = None
    eligible_countries: list[CountryCode] | None = None
    min_reviews: int | None = Field(default=None, ge=0, le=20)
    overall_threshold: DecimalNumber | None = Field(default=None, ge=0, le=100)
    dispersion_limit: DecimalNumber | None = Field(default=None, ge=0)


class Reporting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interim_every_months: int = Field(default=12, ge=1, le=36)
    # Days after an interim period's end by which its report is due.
    interim_due_days: int = Field(default=60, ge=1, le=365)
    final_due_days: int = Field(default=180, ge=1, le=730)


class TrancheCondition(StrEnum):
    ON_SIGNATURE = "on_signature"
    ON_REPORT_APPROVED = "on_report_approved"
    ON_FINAL_REPORT_APPROVED = "on_final_report_approved"


class TranchePlanItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share: Share
    on: TrancheCondition


_COMMON: dict[str, Any] = {
    "min_request": None,
    "max_request": None,
    "min_own_share": "0.10",
    "min_reviews": 2,
    "overall_threshold": "60",
    "dispersion_limit": "2",
}
RULE_DEFAULTS: dict[CallKind, dict[str, Any]] = {
    CallKind.COOPERATION: _COMMON
    | {
        "max_requested_share": "0.50",
        "max_duration_months": 36,
        "requires_partner": True,
        "members_only": True,
        "eligible_countries": [],
    },
    CallKind.INTEGRATION: _COMMON
    | {
        "max_requested_share": "0.70",
        "max_duration_months": 12,
        "requires_partner": False,
        "members_only": False,
        "eligible_countries": ["CH"],
    },
    CallKind.AWARD: _COMMON
    | {
        "min_own_share": "0",
        "max_requested_share": "1",
        "max_duration_months": 120,
        "requires_partner": False,
        "members_only": False,
        "requires_budget": False,
        "requires_logframe": False,
        "requires_reports": False,
        "eligible_countries": [],
    },
}
DEFAULT_TRANCHES: dict[CallKind, list[dict[str, Any]]] = {
    CallKind.COOPERATION: [
        {"share": "0.80", "on": TrancheCondition.ON_SIGNATURE},
        {"share": "0.20", "on": TrancheCondition.ON_FINAL_REPORT_APPROVED},
    ],
    # A prize is paid once, when the laureate has accepted it.
    CallKind.AWARD: [{"share": "1", "on": TrancheCondition.ON_SIGNATURE}],
}
DEFAULT_TRANCHES[CallKind.INTEGRATION] = DEFAULT_TRANCHES[CallKind.COOPERATION]


def rules_for(
    kind: CallKind, given: RulesInput | None, base: dict[str, Any] | None = None
) -> CallRules:
    """``base`` (the kind's defaults, or a call's current rules) overlaid with ``given``."""
    stated = given.model_dump(mode="json", exclude_unset=True) if given is not None else {}
    return CallRules.model_validate((base or RULE_DEFAULTS[kind]) | stated)


def check_tranche_plan(items: list[TranchePlanItem]) -> list[TranchePlanItem]:
    total = sum((item.share for item in items), Decimal(0))
    if total != Decimal(1):
        raise ValueError(f"the tranche shares must add up to 1 (they add up to {total})")
    return items


def default_tranche_plan(kind: CallKind) -> list[TranchePlanItem]:
    return [TranchePlanItem.model_validate(item) for item in DEFAULT_TRANCHES[kind]]
