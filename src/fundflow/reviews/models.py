from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.core.dbtypes import (
    Quantity,
    created_at_field,
    enum_column,
    json_field,
    timestamp_field,
)


class ReviewStatus(StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    DECLINED = "declined"


class Recommendation(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    DEFER = "defer"
    REJECT = "reject"


class CommissionProfile(SQLModel, table=True):
    """What a commission member knows, and whom they are tied to (conflicts of interest)."""

    __tablename__ = "commission_profile"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    # Priority codes of calls (water, education, language...), ISO countries, languages.
    sectors: list[str] = json_field()
    countries: list[str] = json_field()
    languages: list[str] = json_field()
    # Associations and partners the member belongs to or works with: never their reviewer.
    affiliated_organisation_ids: list[int] = json_field()
    affiliated_partner_ids: list[int] = json_field()
    # Reviews the member accepts per call; null means no personal limit.
    max_reviews_per_call: int | None = None
    version: int = 1


class Review(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("proposal_id", "reviewer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user_account.id", index=True)
    status: ReviewStatus = Field(
        default=ReviewStatus.ASSIGNED, sa_column=enum_column(ReviewStatus, index=True)
    )
    recommendation: Recommendation | None = Field(
        default=None, sa_column=enum_column(Recommendation, nullable=True)
    )
    comment: str | None = None
    assigned_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    version: int = 1
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    submitted_at: datetime | None = timestamp_field()

    scores: list["ReviewScore"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
            "order_by": "ReviewScore.criterion_id",
        }
    )


class ReviewScore(SQLModel, table=True):
    """One criterion's score in a review; "not applicable" is recorded, never a zero."""

    __tablename__ = "review_score"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "criterion_id"),
        sa.CheckConstraint("(score IS NULL) = not_applicable", name="score_or_not_applicable"),
        sa.CheckConstraint("score IS NULL OR score >= 0", name="score_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Set by the relationship when the score is attached to its review.
    review_id: int | None = Field(
        default=None, foreign_key="review.id", index=True, ondelete="CASCADE", nullable=False
    )
    criterion_id: int = Field(foreign_key="call_criterion.id", index=True)
    score: Decimal | None = Field(default=None, sa_column=sa.Column(Quantity()))
    not_applicable: bool = False
    comment: str | None = None
