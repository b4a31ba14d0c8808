from datetime import date

from pydantic import BaseModel

from fundflow.core.inputs import Id
from fundflow.core.money import Amount, DecimalNumber
from fundflow.projects.models import ProjectStatus


class PublicPriority(BaseModel):
    code: str
    label: str


class PublicProject(BaseModel):
    """What the public may know of a funded project: nothing personal, nothing unfunded."""

    project_id: Id
    title: str
    summary: str | None
    organisation: str
    country: str | None
    locality: str | None
    partner_country: str | None
    call: str
    year: int
    granted_amount: Amount
    currency: str
    status: ProjectStatus
    start_date: date | None
    end_date: date | None
    priorities: list[PublicPriority]


class PublicFunding(BaseModel):
    """A co-financer of a project as the public sees it: named if it agreed to be."""

    funder: str | None
    level: str
    amount: Amount


class PublicResult(BaseModel):
    indicator: str
    unit: str | None
    baseline: DecimalNumber | None
    target: DecimalNumber | None
    reached: DecimalNumber | None


class PublicProjectDetail(PublicProject):
    co_financing: list[PublicFunding]
    results: list[PublicResult]


class PublicFunder(BaseModel):
    id: Id
    name: str
