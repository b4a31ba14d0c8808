from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.core.dbtypes import utcnow
from tests.builders import World, call_payload


def create(client: TestClient, world: World, **overrides):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/calls", json=call_payload(**overrides), headers=world.headers("secretariat")
    )


def test_omitted_rules_take_the_defaults_of_the_kind(client: TestClient, world: World):
    cooperation = create(client, world, rules=None).json()
    assert cooperation["status"] == "draft"
    assert cooperation["rules"] == {
        "min_request": None,
        "max_request": None,
        "max_requested_share": "0.5000",
        "min_own_share": "0.1000",
        "max_duration_months": 36,
        "requires_partner": True,
        "members_only": True,
        "requires_budget": True,
        "requires_logframe": True,
        "requires_reports": True,
        "eligible_countries": [],
        "min_reviews": 2,
        "overall_threshold": "60",
        "dispersion_limit": "2",
    }
    assert cooperation["reporting"] == {
        "interim_every_months": 12,
        "interim_due_days": 60,
        "final_due_days": 180,
    }
    assert cooperation["tranches"] == [
        {"share": "0.8000", "on": "on_signature"},
        {"share": "0.2000", "on": "on_final_report_approved"},
    ]
    integration = create(client, world, kind="integration", rules={"max_duration_months": 10})
    rules = integration.json()["rules"]
    assert rules["max_requested_share"] == "0.7000" and rules["members_only"] is False
    assert rules["requires_partner"] is False and rules["eligible_countries"] == ["CH"]
    assert rules["max_duration_months"] == 10


def test_call_content_is_validated(client: TestClient, world: World):
    now = utcnow()
    cases = {
        "tranches not adding up": {"tranches": [{"share": "0.5", "on": "on_signature"}]},
        "window backwards": {"closes_at": (now - timedelta(days=60)).isoformat()},
        "duplicate priority": {
            "priorities": [{"code": "water", "label": "a"}, {"code": "water", "label": "b"}]
        },
        "threshold above max": {
            "criteria": [
                {"code": "r", "label": "R", "weight": "1", "max_score": "5", "threshold": "6"}
            ]
        },
        "min above max": {"rules": {"min_request": "9000", "max_request": "1000"}},
        "unknown rule": {"rules": {"bribes_allowed": True}},
        "bad currency": {"currency": "XYZ"},
        "naive date": {"opens_at": "2027-01-01T00:00:00"},
        "priority code with spaces": {"priorities": [{"code": "Eau potable", "label": "x"}]},
    }
    for name, overrides in cases.items():
        response = create(client, world, **overrides)
        assert response.status_code == 422, (name, response.text)
        assert response.json()["errors"], name


def test_opening_needs_priorities_criteria_and_a_future_close(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    empty = create(client, world, priorities=[], criteria=[]).json()
    options = client.get(f"/api/v1/calls/{empty['id']}/transitions", headers=secretariat).json()
    assert options == [
        {
            "action": "open",
            "to": "open",
            "allowed": False,
            "blocked_by": [
                {
                    "rule": "call_has_priorities",
                    "message": "A call needs at least one policy priority.",
                },
                {
                    "rule": "call_has_criteria",
                    "message": "A call needs at least one evaluation criterion.",
                },
            ],
            "comment_required": False,
            "payload_schema": None,
        }
    ]
    refused = client.post(
        f"/api/v1/calls/{empty['id']}/transitions", headers=secretariat, json={"action": "open"}
    )
    assert refused.status_code == 422
    patched = client.patch(
        f"/api/v1/calls/{empty['id']}",
        headers=secretariat,
        json={
            "priorities": [{"code": "health", "label": "Santé"}],
            "criteria": [{"code": "relevance", "label": "Pertinence", "weight": 1, "max_score": 5}],
        },
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    opened = client.post(
        f"/api/v1/calls/{empty['id']}/transitions",
        headers=secretariat,
        json={"action": "open", "version": 2},
    )
    assert opened.status_code == 200, opened.text
    assert opened.json()["status"] == "open" and opened.json()["accepting_submissions"]
    again = client.patch(
        f"/api/v1/calls/{empty['id']}", headers=secretariat, json={"title": "Too late to change"}
    )
    assert again.status_code == 409


def test_call_lifecycle_and_its_events(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    cid = world.call.id
    for action, status in (("close", "closed"), ("archive", "archived")):
        response = client.post(
            f"/api/v1/calls/{cid}/transitions", headers=secretariat, json={"action": action}
        )
        assert response.json()["status"] == status
    wrong = client.post(
        f"/api/v1/calls/{cid}/transitions", headers=secretariat, json={"action": "open"}
    )
    assert wrong.status_code == 409
    events = client.get(f"/api/v1/calls/{cid}/events", headers=secretariat).json()["items"]
    assert [(e["action"], e["to_state"]) for e in events] == [
        ("create", None),
        ("open", "open"),
        ("close", "closed"),
        ("archive", "archived"),
    ]


def test_drafts_are_hidden_from_everyone_but_the_secretariat(client: TestClient, world: World):
    draft = create(client, world).json()
    listed = client.get("/api/v1/calls", headers=world.headers("applicant_a")).json()["items"]
    assert draft["id"] not in [c["id"] for c in listed]
    assert world.call.id in [c["id"] for c in listed]
    open_only = client.get(
        "/api/v1/calls?status=open", headers=world.headers("secretariat")
    ).json()["items"]
    assert {c["status"] for c in open_only} == {"open"}


def test_a_closed_call_refuses_new_proposals_and_submissions(
    client: TestClient, world: World, session: Session
):
    proposal = world.proposal()
    client.post(
        f"/api/v1/calls/{world.call.id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "close"},
    )
    submit = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "submit"},
    )
    assert submit.status_code == 422
    assert [e["rule"] for e in submit.json()["errors"]] == ["call_open"]
    created = client.post(
        "/api/v1/proposals",
        headers=world.headers("applicant_a"),
        json={"call_id": world.call.id, "title": "Too late"},
    )
    assert created.status_code == 422
    assert [e["rule"] for e in created.json()["errors"]] == ["call_takes_drafts"]


def test_a_call_whose_window_has_not_opened_takes_drafts_but_not_submissions(
    client: TestClient, world: World
):
    from tests.proposals.test_eligibility import future_call_id

    call_id = future_call_id(client, world)
    created = client.post(
        "/api/v1/proposals",
        headers=world.headers("applicant_a"),
        json={"call_id": call_id, "title": "Early bird"},
    )
    assert created.status_code == 201
    eligibility = client.get(
        f"/api/v1/proposals/{created.json()['id']}/eligibility",
        headers=world.headers("applicant_a"),
    ).json()
    call_check = next(c for c in eligibility["checks"] if c["rule"] == "call_open")
    assert call_check["passed"] is False
