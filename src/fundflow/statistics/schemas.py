from enum import StrEnum
from typing import Any

from pydantic import BaseModel


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
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
