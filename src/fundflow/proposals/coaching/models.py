"""Comments on a proposal: the secretariat's coaching of a shared draft, the association's
answers. An internal comment is the secretariat's own and never reaches the association."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, enum_column, timestamp_field


class CommentVisibility(StrEnum):
    ASSOCIATION = "association"
    INTERNAL = "internal"


class CommentSection(StrEnum):
    """Where in the proposal a comment applies (the task list's sections)."""

    GENERAL = "general"
    PROJECT = "project"
    PARTNER = "partner"
    BUDGET = "budget"
    FINANCING = "financing"
    LOGFRAME = "logframe"
    ATTACHMENTS = "attachments"


class ProposalComment(SQLModel, table=True):
    __tablename__ = "proposal_comment"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    # An answer names the comment it answers; answers share its visibility.
    parent_id: int | None = Field(default=None, foreign_key="proposal_comment.id")
    section: CommentSection = Field(sa_column=enum_column(CommentSection))
    visibility: CommentVisibility = Field(sa_column=enum_column(CommentVisibility, index=True))
    body: str
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()
    resolved_at: datetime | None = timestamp_field()
    resolved_by_id: int | None = Field(default=None, foreign_key="user_account.id")
