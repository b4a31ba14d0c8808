"""Decisions: guarded by the reviews, the request and the outcome's terms."""

import pytest
from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


def decide(client: TestClient, world: World, proposal_id: int, **body):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/proposals/{proposal_id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "decide", "rationale": "Vu en commission.", **body},
    )


def rules(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    return [error.get("rule") or ".".join(error["loc"]) for error in response.json()["errors"]]


def test_decide_needs_min_reviews(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    world.review(proposal, "commission", {"relevance": "4", "feasibility": "4"})
    refused = decide(client, world, proposal.id, outcome="rejected")
    assert rules(refused) == ["min_reviews"]
    assert "1 review(s) in; the call requires 2" in refused.text
    options = client.get(
        f"/api/v1/proposals/{proposal.id}/transitions", headers=world.headers("secretariat")
    ).json()
    decide_option = next(o for o in options if o["action"] == "decide")
    assert decide_option["to"] == ["approved", "approved_with_conditions", "deferred", "rejected"]
    assert not decide_option["allowed"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"outcome": "approved"}, ["granted_amount"]),
        ({"outcome": "approved", "granted_amount": "40000.01"}, ["granted_amount"]),
        ({"outcome": "approved", "granted_amount": "0"}, ["granted_amount"]),
        ({"outcome": "rejected", "granted_amount": "1000.00"}, ["granted_amount"]),
        ({"outcome": "approved_with_conditions", "granted_amount": "30000"}, ["conditions"]),
        (
            {"outcome": "approved", "granted_amount": "30000", "conditions": ["Something to do"]},
            ["conditions"],
        ),
        ({"outcome": "deferred", "session_id": 999}, ["session"]),
        ({"outcome": "funded"}, ["body.outcome"]),
        ({"outcome": "approved", "granted_amount": "30000.001"}, ["body.granted_amount"]),
    ],
)
def test_decision_terms_are_checked(
    client: TestClient, world: World, body: dict, expected: list[str]
):
    proposal = world.reviewed()
    response = decide(client, world, proposal.id, **body)
    assert rules(response) == expected
    stored = client.get(
        f"/api/v1/proposals/{proposal.id}", headers=world.headers("secretariat")
    ).json()
    assert stored["status"] == "in_review" and stored["project_id"] is None


def test_rationale_is_required(client: TestClient, world: World):
    proposal = world.reviewed()
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "decide", "outcome": "rejected"},
    )
    assert rules(response) == ["body.rationale"]


@pytest.mark.parametrize("outcome", ["deferred", "rejected"])
def test_negative_outcomes_create_no_project(client: TestClient, world: World, outcome: str):
    proposal = world.reviewed()
    response = decide(client, world, proposal.id, outcome=outcome)
    assert response.json()["status"] == outcome and response.json()["project_id"] is None
    decision = client.get(
        f"/api/v1/proposals/{proposal.id}/decision", headers=world.headers("applicant_a")
    ).json()
    assert decision["outcome"] == outcome and decision["granted_amount"] is None


def test_the_decision_keeps_the_rules_and_scores_it_was_taken_under(
    client: TestClient, world: World
):
    proposal = world.reviewed()
    decide(client, world, proposal.id, outcome="approved", granted_amount="40000.00")
    # The call's rules change afterwards; the recorded decision does not.
    from fundflow.calls.models import Call

    call = world.session.get(Call, world.call.id)
    call.rules = {**call.rules, "min_reviews": 5}
    world.session.commit()
    record = client.get(
        f"/api/v1/proposals/{proposal.id}/decision", headers=world.headers("secretariat")
    ).json()
    assert record["rules"]["min_reviews"] == 2
    assert record["score"] == "73.33"
    assert [c["code"] for c in record["criteria"]] == ["relevance", "feasibility"]
    assert record["requested_amount"] == "40000.00"
    events = client.get(
        f"/api/v1/proposals/{proposal.id}/events", headers=world.headers("secretariat")
    ).json()["items"]
    assert events[-1]["action"] == "decide" and events[-1]["to_state"] == "approved"
    assert events[-1]["data"]["granted_amount"] == "40000.00"


def test_conditions_can_be_reopened_and_gate_the_approval(client: TestClient, world: World):
    proposal = world.decided(
        "approved_with_conditions", conditions=["Partner letter", "Updated budget"]
    )
    secretariat = world.headers("secretariat")
    decision = client.get(f"/api/v1/proposals/{proposal.id}/decision", headers=secretariat)
    first, second = (c["id"] for c in decision.json()["conditions"])
    base = f"/api/v1/proposals/{proposal.id}/decision/conditions"
    client.patch(f"{base}/{first}", headers=secretariat, json={"fulfilled": True})
    client.patch(f"{base}/{second}", headers=secretariat, json={"fulfilled": True})
    client.patch(
        f"{base}/{second}",
        headers=secretariat,
        json={"fulfilled": False, "note": "Budget still unsigned"},
    )
    refused = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=secretariat,
        json={"action": "fulfil_conditions"},
    )
    assert "Updated budget" in refused.json()["errors"][0]["message"]
    client.patch(f"{base}/{second}", headers=secretariat, json={"fulfilled": True})
    approved = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=secretariat,
        json={"action": "fulfil_conditions"},
    )
    assert approved.json()["status"] == "approved"
    project = client.get(
        f"/api/v1/projects/{approved.json()['project_id']}", headers=secretariat
    ).json()
    assert project["granted_amount"] == "35000.00"
    assert (
        client.patch(f"{base}/{first}", headers=secretariat, json={"fulfilled": False}).status_code
        == 409
    )
    assert (
        client.patch(f"{base}/9999", headers=secretariat, json={"fulfilled": True}).status_code
        == 409
    )


def test_sessions_validate_members(client: TestClient, world: World):
    response = client.post(
        "/api/v1/sessions",
        headers=world.headers("secretariat"),
        json={
            "held_on": "2027-04-15",
            "title": "Commission",
            "members_present": [world.commission.id, world.applicant_a.id],
        },
    )
    assert rules(response) == ["members_present"]


def test_a_deferred_proposal_is_decided_at_a_later_session(client: TestClient, world: World):
    """Issue 12, wrong answer 3: deferred is not a dead end."""
    proposal = world.reviewed()
    assert decide(client, world, proposal.id, outcome="deferred").status_code == 200
    url = f"/api/v1/proposals/{proposal.id}/transitions"
    staff = {o["action"]: o for o in client.get(url, headers=world.headers("secretariat")).json()}
    assert staff["decide"]["allowed"] is True
    association = client.get(url, headers=world.headers("applicant_a")).json()
    assert [o["action"] for o in association] == ["withdraw"]

    approved = decide(client, world, proposal.id, outcome="approved", granted_amount="30000.00")

    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["project_id"] is not None
    decision = client.get(
        f"/api/v1/proposals/{proposal.id}/decision", headers=world.headers("applicant_a")
    ).json()
    assert (decision["outcome"], decision["granted_amount"]) == ("approved", "30000.00")
    events = client.get(
        f"/api/v1/proposals/{proposal.id}/events", headers=world.headers("secretariat")
    ).json()["items"]
    assert [(e["action"], e["to_state"]) for e in events][-2:] == [
        ("decide", "deferred"),
        ("decide", "approved"),
    ]


def test_a_deferred_proposal_can_be_withdrawn(client: TestClient, world: World):
    proposal = world.reviewed()
    decide(client, world, proposal.id, outcome="deferred")
    withdrawn = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "withdraw"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
