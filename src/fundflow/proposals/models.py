from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.calls.models import Call, CallPriority
from fundflow.core.dbtypes import (
    Money,
    Quantity,
    created_at_field,
    enum_column,
    timestamp_field,
)

if TYPE_CHECKING:
    from fundflow.projects.models import Project


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVISION_REQUESTED = "revision_requested"
    IN_REVIEW = "in_review"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    # The outcomes of a nomination in an award round.
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"


class BudgetCategory(StrEnum):
    INVESTMENT = "investment"
    EQUIPMENT = "equipment"
    STAFF = "staff"
    OPERATIONS = "operations"
    TRAINING = "training"
    TRAVEL = "travel"
    MONITORING_EVALUATION = "monitoring_evaluation"
    AWARENESS = "awareness"
    ADMINISTRATION = "administration"
    OTHER = "other"


class FinancingSource(StrEnum):
    OWN_FUNDS = "own_funds"
    PRIVATE_DONATIONS = "private_donations"
    IN_KIND = "in_kind"
    REQUESTED = "requested"
    OTHER_PUBLIC = "other_public"
    OTHER = "other"


class FinancingStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"


class NomineeKind(StrEnum):
    EMPLOYER = "employer"
    ASSOCIATION = "association"
    SCHOOL = "school"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


class NomineeResponse(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Proposal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    title: str = Field(max_length=200)
    summary: str | None = None
    country: str | None = Field(default=None, max_length=2)
    locality: str | None = Field(default=None, max_length=120)
    start_date: date | None = None
    end_date: date | None = None
    # Null means the applicant has not answered yet; the eligibility check requires an answer.
    other_funding_requests_declared: bool | None = None
    logframe_goal: str | None = None
    # The applicant says this continues one of its projects: a new phase may overlap the
    # grant it extends without being taken for a duplicate request.
    extends_project_id: int | None = Field(
        default=None,
        # use_alter: project already refers to proposal; the cycle is closed after both exist.
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("project.id", use_alter=True)),
    )
    # A nomination in an award round (the call's kind says so): who is nominated, in which
    # of the round's categories, by the proposal's organisation or by themselves. The
    # nominee need not hold an account: they are told by e-mail, with a link to answer.
    category: str | None = Field(default=None, max_length=60)
    self_nomination: bool | None = None
    nominee_name: str | None = Field(default=None, max_length=200)
    nominee_kind: NomineeKind | None = Field(
        default=None, sa_column=enum_column(NomineeKind, nullable=True)
    )
    nominee_email: str | None = Field(default=None, max_length=254)
    nominee_response: NomineeResponse | None = Field(
        default=None, sa_column=enum_column(NomineeResponse, nullable=True)
    )
    nominee_notified_at: datetime | None = timestamp_field()
    nominee_responded_at: datetime | None = timestamp_field()
    # SHA-256 of the link's secret: the link itself is only in the nominee's mailbox.
    nominee_token_digest: str | None = Field(default=None, max_length=64, unique=True, index=True)
    status: ProposalStatus = Field(
        default=ProposalStatus.DRAFT, sa_column=enum_column(ProposalStatus, index=True)
    )
    version: int = 1
    # Moved by the database whenever anything the proposal's representation shows changes
    # (triggers on its row, its lists, its project, its call): a rendered proposal is
    # reused while its stamp holds (``proposals.rendered``). Never set by the service.
    content_stamp: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    # First submission; from then on the secretariat sees the proposal.
    submitted_at: datetime | None = timestamp_field()
    # The association shared its draft with the secretariat for advice (coaching).
    advice_requested_at: datetime | None = timestamp_field()

    call: Call = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})
    priorities: list[CallPriority] = Relationship(
        link_model=None,
        sa_relationship_kwargs={
            "secondary": "proposal_priority",
            "order_by": "CallPriority.position",
            "lazy": "selectin",
        },
    )
    budget_lines: list["BudgetLine"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "BudgetLine.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )
    financing_lines: list["FinancingLine"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "FinancingLine.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )
    outcomes: list["Outcome"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "Outcome.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )
    project: Optional["Project"] = Relationship(
        sa_relationship_kwargs={
            "lazy": "selectin",
            "uselist": False,
            "viewonly": True,
            "foreign_keys": "Project.proposal_id",
        }
    )


class ProposalPriority(SQLModel, table=True):
    __tablename__ = "proposal_priority"

    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True, ondelete="CASCADE")
    priority_id: int = Field(foreign_key="call_priority.id", primary_key=True, index=True)


class BudgetLine(SQLModel, table=True):
    __tablename__ = "budget_line"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    position: int
    category: BudgetCategory = Field(sa_column=enum_column(BudgetCategory))
    description: str = Field(max_length=300)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))


class FinancingLine(SQLModel, table=True):
    __tablename__ = "financing_line"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    position: int
    source: FinancingSource = Field(sa_column=enum_column(FinancingSource))
    funder_name: str | None = Field(default=None, max_length=200)
    amount: Decimal = Field(sa_column=sa.Column(Money(), nullable=False))
    status: FinancingStatus = Field(
        default=FinancingStatus.REQUESTED, sa_column=enum_column(FinancingStatus)
    )


class Outcome(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    position: int
    statement: str

    indicators: list["Indicator"] = Relationship(
        sa_relationship_kwargs={
            "primaryjoin": "and_(Indicator.outcome_id == Outcome.id, Indicator.output_id == None)",
            "order_by": "Indicator.position",
            "lazy": "selectin",
            "viewonly": True,
        }
    )
    outputs: list["Output"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "Output.position",
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
        }
    )


class Output(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="outcome.id", index=True, ondelete="CASCADE")
    position: int
    statement: str

    indicators: list["Indicator"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "Indicator.position",
            "lazy": "selectin",
            "viewonly": True,
        }
    )


class Indicator(SQLModel, table=True):
    """A logframe indicator; reports refer to it by id, so ids survive edits of the logframe."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    outcome_id: int = Field(foreign_key="outcome.id", index=True, ondelete="CASCADE")
    # Set when the indicator measures an output rather than the outcome itself.
    output_id: int | None = Field(default=None, foreign_key="output.id", ondelete="CASCADE")
    position: int
    name: str = Field(max_length=300)
    unit: str | None = Field(default=None, max_length=60)
    baseline: Decimal | None = Field(default=None, sa_column=sa.Column(Quantity()))
    baseline_year: int | None = None
    target: Decimal | None = Field(default=None, sa_column=sa.Column(Quantity()))
