from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from fundflow.funders.schemas import ExchangeRateUsed


class Dimension(StrEnum):
    CALL = "call"
    YEAR = "year"
    COUNTRY = "country"
    ORGANISATION = "organisation"
    DIASPORA_LED = "diaspora_led"
    PRIORITY = "priority"
    FUNDER = "funder"


class FundingStatistics(BaseModel):
    group_by: list[Dimension]
    currency: str = Field(description="The reporting currency of every amount")
    rates_on: date = Field(description="The day whose rates converted the other currencies")
    rates: list[ExchangeRateUsed] = Field(
        description="The rates used, one per call currency other than the reporting one"
    )
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
