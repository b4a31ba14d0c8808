from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fundflow.core.inputs import Id, NonBlank
from fundflow.proposals.coaching.models import CommentSection, CommentVisibility


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: CommentSection = CommentSection.GENERAL
    body: NonBlank = Field(min_length=1, max_length=10_000)
    visibility: CommentVisibility = Field(
        default=CommentVisibility.ASSOCIATION,
        description="`internal`: the secretariat's own, never shown to the association",
    )
    parent_id: Id | None = Field(default=None, description="The comment this one answers")


class CommentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved: bool


class CommentPublic(BaseModel):
    id: int
    proposal_id: Id
    parent_id: Id | None
    section: CommentSection
    visibility: CommentVisibility
    body: str
    author_id: Id | None
    author_name: str
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None


class AdviceRequestPublic(BaseModel):
    proposal_id: Id
    advice_requested_at: datetime
