"""Every state × action of all seven machines, against the tables written in CONTRACT.md
(and, where it is silent, DOMAIN.md's states)."""

from types import SimpleNamespace

import pytest

import fundflow.models  # noqa: F401 - every table, so that relationships resolve
from fundflow.calls.models import CallStatus
from fundflow.calls.workflow import CALL_MACHINE
from fundflow.cofinancing.models import CommitmentStatus
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.errors import Conflict, InvalidInput
from fundflow.core.workflow import Machine, transition
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring.models import RefundStatus, ReportStatus
from fundflow.monitoring.workflow import REFUND_MACHINE, REPORT_MACHINE
from fundflow.projects.models import ProjectStatus
from fundflow.proposals.models import ProposalStatus
from fundflow.reviews.models import ReviewStatus
from fundflow.reviews.workflow import REVIEW_MACHINE

# (action, sources, target, roles) as the contract states them.
MACHINES = {
    "call": CALL_MACHINE,
    "proposal": PROPOSAL_MACHINE,
    "review": REVIEW_MACHINE,
    "project": PROJECT_MACHINE,
    "commitment": COMMITMENT_MACHINE,
    "report": REPORT_MACHINE,
    "refund": REFUND_MACHINE,
}
DECISIONS = {"approved", "approved_with_conditions", "deferred", "rejected"}
AWARD_DECISIONS = {"awarded", "not_awarded"}
# What the decide row reads of a proposal to offer its outcomes: its call's kind.
FUNDING_PROPOSAL = SimpleNamespace(call=SimpleNamespace(kind="cooperation"))
NOMINATION = SimpleNamespace(call=SimpleNamespace(kind="award"))
CONTRACT = {
    "call": {
        "open": ({"draft"}, "open", {"secretariat"}),
        "close": ({"open"}, "closed", {"secretariat"}),
        "archive": ({"closed"}, "archived", {"secretariat"}),
    },
    "proposal": {
        "submit": ({"draft", "revision_requested"}, "submitted", {"applicant"}),
        # CONTRACT.md's table, and (issue 12) a deferred proposal taken up again later:
        # decided then, or withdrawn.
        "withdraw": (
            {"draft", "submitted", "revision_requested", "in_review", "deferred"},
            "withdrawn",
            {"applicant"},
        ),
        "return_for_revision": ({"submitted"}, "revision_requested", {"secretariat"}),
        "declare_ineligible": ({"submitted"}, "ineligible", {"secretariat"}),
        "accept_for_review": ({"submitted"}, "in_review", {"secretariat"}),
        "decide": ({"in_review", "deferred"}, DECISIONS | AWARD_DECISIONS, {"secretariat"}),
        "fulfil_conditions": ({"approved_with_conditions"}, "approved", {"secretariat"}),
        # Awards (CONTRACT.md's additions): the nominee's answer through their link.
        "decline_nomination": (
            {"submitted", "revision_requested", "in_review", "deferred"},
            "withdrawn",
            {"nominee"},
        ),
    },
    "review": {
        "submit": ({"assigned"}, "submitted", {"commission"}),
        "declare_conflict": ({"assigned"}, "declined", {"commission"}),
    },
    "project": {
        "sign_agreement": ({"contracting"}, "active", {"secretariat"}),
        "end": ({"active"}, "final_reporting", {"secretariat"}),
        "suspend": ({"active"}, "suspended", {"secretariat"}),
        "resume": ({"suspended"}, "active", {"secretariat"}),
        "close": ({"final_reporting"}, "closed", {"secretariat"}),
        "terminate": ({"contracting", "active", "suspended"}, "terminated", {"secretariat"}),
    },
    "commitment": {
        "confirm": ({"proposed"}, "confirmed", {"authority", "secretariat"}),
        "decline": ({"proposed"}, "declined", {"authority", "secretariat"}),
        "cancel": ({"proposed", "confirmed"}, "cancelled", {"secretariat"}),
    },
    "report": {
        "submit": ({"scheduled", "changes_requested"}, "submitted", {"applicant"}),
        "request_changes": ({"submitted"}, "changes_requested", {"secretariat"}),
        "approve": ({"submitted"}, "approved", {"secretariat"}),
    },
    "refund": {
        "refund_received": ({"due"}, "received", {"secretariat"}),
        "waive": ({"due"}, "waived", {"secretariat"}),
    },
}
# Actions whose `comment` is required (a reason the other side is owed).
COMMENTED = {
    "proposal": {"return_for_revision", "declare_ineligible"},
    "review": {"declare_conflict"},
    "project": {"suspend", "resume", "terminate"},
    "report": {"request_changes"},
    "refund": {"waive"},
}
STATES = {
    "call": list(CallStatus),
    "proposal": list(ProposalStatus),
    "review": list(ReviewStatus),
    "project": list(ProjectStatus),
    "commitment": list(CommitmentStatus),
    "report": list(ReportStatus),
    "refund": list(RefundStatus),
}
CASES = [
    (name, state, action)
    for name, table in CONTRACT.items()
    for state in STATES[name]
    for action in table
]


@pytest.mark.parametrize(
    ("name", "state", "action"), CASES, ids=[f"{n}-{s}-{a}" for n, s, a in CASES]
)
def test_resolve_follows_the_contract(name: str, state: str, action: str):
    machine = MACHINES[name]
    sources, target, roles = CONTRACT[name][action]
    if state in sources:
        row = machine.resolve(state, action)
        if isinstance(target, set):
            assert {
                row.target_for({"outcome": choice}, FUNDING_PROPOSAL) for choice in DECISIONS
            } | {
                row.target_for({"outcome": choice}, NOMINATION) for choice in AWARD_DECISIONS
            } == target
            assert set(row.targets_for(FUNDING_PROPOSAL)) == DECISIONS
            assert set(row.targets_for(NOMINATION)) == AWARD_DECISIONS
        else:
            assert row.target == target
        assert set(row.roles) == roles
    else:
        with pytest.raises(Conflict):
            machine.resolve(state, action)


@pytest.mark.parametrize("name", list(CONTRACT))
def test_comments_are_required_where_a_reason_is_owed(name: str):
    required = {row.action for row in MACHINES[name].transitions if row.comment_required}
    assert required == COMMENTED.get(name, set())


@pytest.mark.parametrize("name", list(CONTRACT))
def test_machine_declares_exactly_the_contract_actions(name: str):
    assert set(MACHINES[name].actions) == set(CONTRACT[name])
    assert MACHINES[name].entity_type == name


@pytest.mark.parametrize("name", list(CONTRACT))
def test_available_actions_per_state_and_role(name: str):
    for state in STATES[name]:
        for role in ("applicant", "secretariat", "commission", "authority", "admin"):
            expected = {
                a for a, (src, _, roles) in CONTRACT[name].items() if state in src and role in roles
            }
            assert {t.action for t in MACHINES[name].available(state, [role])} == expected


def test_unknown_action_is_invalid_input():
    with pytest.raises(InvalidInput):
        PROPOSAL_MACHINE.resolve("draft", "approve_everything")


def test_a_table_naming_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown states"):
        Machine("thing", frozenset({"a", "b"}), (transition("go", ["a"], "c", ["admin"]),))


def test_an_action_declared_twice_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        Machine(
            "thing",
            frozenset({"a", "b"}),
            (transition("go", ["a"], "b", ["admin"]), transition("go", ["b"], "a", ["admin"])),
        )


def test_decide_refuses_an_outcome_outside_the_table():
    row = PROPOSAL_MACHINE.resolve("in_review", "decide")
    with pytest.raises(InvalidInput):
        row.target_for({"outcome": "withdrawn"}, FUNDING_PROPOSAL)
    # each call kind its own outcomes: a grant's is not a round's, nor the reverse
    with pytest.raises(InvalidInput):
        row.target_for({"outcome": "awarded"}, FUNDING_PROPOSAL)
    with pytest.raises(InvalidInput):
        row.target_for({"outcome": "approved"}, NOMINATION)
