from datetime import date, datetime

from pydantic import BaseModel, Field

from fundflow.core.inputs import Id
from fundflow.core.money import Amount
from fundflow.projects.models import ProjectStatus


class ProjectPublic(BaseModel):
    id: int
    proposal_id: Id
    call_id: Id
    organisation_id: Id
    title: str
    status: ProjectStatus
    currency: str = Field(description="The call's: every amount of the project is in it")
    granted_amount: Amount
    committed_amount: Amount
    disbursed_amount: Amount
    # Set at closing or termination; a positive balance is a refund due.
    balance: Amount | None
    next_report_due_on: date | None
    start_date: date | None
    end_date: date | None
    version: int
    created_at: datetime
