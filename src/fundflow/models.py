"""Import every table so that SQLModel.metadata knows the whole schema (Alembic, tests)."""

from sqlmodel import SQLModel

from fundflow.accounts.models import (
    AuthSession,
    RecoveryCode,
    SignInThrottle,
    TwoFactor,
    User,
    UserRole,
)
from fundflow.calls.models import Call, CallCriterion, CallPriority
from fundflow.cofinancing.models import Commitment, Disbursement, DisbursementShare, Tranche
from fundflow.core.audit import Event
from fundflow.core.idempotency_models import IdempotencyRecord
from fundflow.decisions.models import CommissionSession, Decision, DecisionCondition, SessionMember
from fundflow.funders.models import Envelope, ExchangeRate, Funder
from fundflow.monitoring.models import (
    Document,
    Refund,
    ReminderLog,
    Report,
    ReportExpense,
    ReportIndicatorValue,
    ReportVersion,
)
from fundflow.organisations.models import DirectoryEntry, Organisation, Partner
from fundflow.projects.models import Project
from fundflow.proposals.coaching.models import ProposalComment
from fundflow.proposals.models import (
    BudgetLine,
    FinancingLine,
    Indicator,
    Outcome,
    Output,
    Proposal,
    ProposalPriority,
)
from fundflow.proposals.similarity.models import (
    ProposalFingerprint,
    ProposalTextBand,
    SimilarityVerdict,
)
from fundflow.reviews.models import CommissionProfile, Review, ReviewScore

__all__ = [
    "ProposalComment",
    "DirectoryEntry",
    "Document",
    "AuthSession",
    "RecoveryCode",
    "TwoFactor",
    "SignInThrottle",
    "Refund",
    "ReminderLog",
    "ReportExpense",
    "ReportIndicatorValue",
    "ReportVersion",
    "Commitment",
    "Disbursement",
    "DisbursementShare",
    "Report",
    "Tranche",
    "CommissionProfile",
    "CommissionSession",
    "Decision",
    "DecisionCondition",
    "Project",
    "Review",
    "ReviewScore",
    "SessionMember",
    "BudgetLine",
    "Call",
    "CallCriterion",
    "CallPriority",
    "Envelope",
    "ExchangeRate",
    "Event",
    "FinancingLine",
    "Funder",
    "IdempotencyRecord",
    "Indicator",
    "Organisation",
    "Outcome",
    "Output",
    "Partner",
    "Proposal",
    "ProposalPriority",
    "ProposalFingerprint",
    "ProposalTextBand",
    "SimilarityVerdict",
    "User",
    "UserRole",
]

# SQLite reuses the largest rowid after a delete unless a table is AUTOINCREMENT; ids are
# referenced from the audit trail and from reports (indicator ids), so never reuse one.
for _table in SQLModel.metadata.tables.values():
    _table.dialect_options["sqlite"]["autoincrement"] = True
