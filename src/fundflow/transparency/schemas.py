from datetime import date

from pydantic import BaseModel

from fundflow.core.inputs import Id
from fundflow.core.money import Amount
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
