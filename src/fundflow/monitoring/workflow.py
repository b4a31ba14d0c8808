"""The report's state machine: scheduled → submitted → approved, with change requests."""

from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, transition
from fundflow.monitoring.models import Refund, RefundStatus, Report, ReportStatus
from fundflow.monitoring.reports import (
    complete,
    note_changes_requested,
    project_reporting,
    release_tranches,
    snapshot_version,
)

S = ReportStatus

REPORT_MACHINE: Machine[Report] = Machine(
    entity_type="report",
    states=frozenset(S),
    transitions=(
        transition(
            "submit",
            [S.SCHEDULED, S.CHANGES_REQUESTED],
            S.SUBMITTED,
            [Role.APPLICANT],
            guards=(project_reporting, complete),
            effects=(snapshot_version,),
        ),
        transition(
            "request_changes",
            [S.SUBMITTED],
            S.CHANGES_REQUESTED,
            [Role.SECRETARIAT],
            comment_required=True,
            effects=(note_changes_requested,),
        ),
        transition(
            "approve", [S.SUBMITTED], S.APPROVED, [Role.SECRETARIAT], effects=(release_tranches,)
        ),
    ),
)

R = RefundStatus

REFUND_MACHINE: Machine[Refund] = Machine(
    entity_type="refund",
    states=frozenset(R),
    transitions=(
        transition("refund_received", [R.DUE], R.RECEIVED, [Role.SECRETARIAT]),
        transition("waive", [R.DUE], R.WAIVED, [Role.SECRETARIAT], comment_required=True),
    ),
)
