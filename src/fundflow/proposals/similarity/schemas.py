from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fundflow.core.inputs import Id, NonBlank
from fundflow.core.money import Amount
from fundflow.projects.models import ProjectStatus
from fundflow.proposals.models import FinancingSource, FinancingStatus, ProposalStatus
from fundflow.proposals.similarity.models import Verdict


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    comment: NonBlank = Field(min_length=1, max_length=2_000, description="What the check found")


class VerdictPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    proposal_id: Id = Field(description="The lower id of the pair")
    other_proposal_id: Id
    verdict: Verdict
    comment: str
    decided_by_id: Id | None
    decided_at: datetime


class SimilarityReason(BaseModel):
    field: Literal["text", "title", "partner", "locality", "country", "period", "organisation"]
    detail: str


class SimilarRequest(BaseModel):
    proposal_id: Id
    title: str
    organisation_id: Id
    organisation: str
    call_id: Id
    call: str
    year: int
    status: ProposalStatus
    start_date: date | None
    end_date: date | None
    currency: str
    requested_amount: Amount
    project_id: Id | None
    project_status: ProjectStatus | None
    granted_amount: Amount | None
    score: int = Field(ge=0, le=100)
    strength: Literal["strong", "possible"]
    text_similarity: float | None = Field(
        description="Estimated share of distinctive words in common (Jaccard, 0 to 1)"
    )
    reasons: list[SimilarityReason]
    blocking: bool = Field(
        description="An active grant of the same association over an overlapping period, "
        "not declared as the project this proposal extends, nor found a different project"
    )
    declared_extension: bool
    verdict: VerdictPublic | None = Field(description="The secretariat's word on the pair")


class DeclaredFunding(BaseModel):
    source: FinancingSource
    funder_name: str | None
    amount: Amount
    status: FinancingStatus


class SimilarRequests(BaseModel):
    proposal_id: Id
    extends_project_id: Id | None
    other_funding_requests_declared: bool | None
    declared_other_funding: list[DeclaredFunding] = Field(
        description="Requests to other funders, from the proposal's financing plan"
    )
    matches: list[SimilarRequest]
