"""The README's walk-through as an end-to-end test over HTTP."""

from fastapi.testclient import TestClient

from tests.builders import PASSWORD, World, proposal_payload


def login(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_applicant_drafts_fixes_submits_and_secretariat_screens(client: TestClient, world: World):
    applicant = login(client, world.applicant_a.email)
    secretariat = login(client, world.secretariat.email)
    me = client.get("/api/v1/me", headers=applicant).json()
    assert me["roles"] == ["applicant"] and me["organisation_id"] == world.org_a.id

    # A first draft asks for too much and forgets the partner and its own funds.
    draft = proposal_payload(
        world.call,
        None,
        financing_lines=[
            {"source": "requested", "amount": "70000.00"},
            {"source": "other_public", "funder_name": "Commune of Morges", "amount": "10000.00"},
        ],
    )
    created = client.post("/api/v1/proposals", json=draft, headers=applicant)
    assert created.status_code == 201, created.text
    proposal = created.json()
    assert proposal["status"] == "draft" and proposal["currency"] == "CHF"
    assert proposal["requested_share"] == "0.8750" and proposal["own_share"] == "0.0000"
    pid = proposal["id"]

    eligibility = client.get(f"/api/v1/proposals/{pid}/eligibility", headers=applicant).json()
    failed = {c["rule"] for c in eligibility["checks"] if not c["passed"]}
    assert eligibility["eligible"] is False
    assert failed == {"partner_required", "requested_share", "own_share"}

    refused = client.post(
        f"/api/v1/proposals/{pid}/transitions", json={"action": "submit"}, headers=applicant
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert {e["rule"] for e in refused.json()["errors"]} == failed

    fixed = client.patch(
        f"/api/v1/proposals/{pid}",
        headers=applicant,
        json={
            "partner_id": world.partner_a.id,
            "version": proposal["version"],
            "financing_lines": [
                {"source": "own_funds", "amount": "10000.00", "status": "confirmed"},
                {"source": "requested", "amount": "40000.00"},
                {
                    "source": "other_public",
                    "funder_name": "Commune of Morges",
                    "amount": "30000.00",
                },
            ],
        },
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["requested_share"] == "0.5000"
    assert client.get(f"/api/v1/proposals/{pid}/eligibility", headers=applicant).json()["eligible"]

    options = client.get(f"/api/v1/proposals/{pid}/transitions", headers=applicant).json()
    assert {o["action"]: o["allowed"] for o in options} == {"submit": True, "withdraw": True}

    submitted = client.post(
        f"/api/v1/proposals/{pid}/transitions",
        headers=applicant,
        json={"action": "submit", "version": fixed.json()["version"]},
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    returned = client.post(
        f"/api/v1/proposals/{pid}/transitions",
        headers=secretariat,
        json={"action": "return_for_revision", "comment": "Détaillez le coût des tuyaux."},
    )
    assert returned.json()["status"] == "revision_requested"

    client.patch(
        f"/api/v1/proposals/{pid}",
        headers=applicant,
        json={
            "budget_lines": [
                {
                    "category": "investment",
                    "description": "Pipes (4.2 km) and a 50 m3 tank",
                    "amount": "60000.00",
                },
                {"category": "staff", "description": "Local coordinator", "amount": "20000.00"},
            ]
        },
    )
    resubmitted = client.post(
        f"/api/v1/proposals/{pid}/transitions", headers=applicant, json={"action": "submit"}
    )
    assert resubmitted.json()["status"] == "submitted"

    accepted = client.post(
        f"/api/v1/proposals/{pid}/transitions",
        headers=secretariat,
        json={"action": "accept_for_review"},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "in_review"

    events = client.get(f"/api/v1/proposals/{pid}/events", headers=secretariat).json()["items"]
    assert [e["action"] for e in events] == [
        "create",
        "update",
        "submit",
        "return_for_revision",
        "update",
        "submit",
        "accept_for_review",
    ]
    assert events[3]["comment"] == "Détaillez le coût des tuyaux."
    assert events[3]["from_state"] == "submitted" and events[3]["to_state"] == "revision_requested"
