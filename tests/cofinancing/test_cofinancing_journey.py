"""Decision → allocation → the funders confirm → agreement signed → first tranche paid."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.cofinancing.invariants import violations
from fundflow.core.roles import Role
from tests.builders import World, bearer, make_user


def test_from_decision_to_first_payment(client: TestClient, world: World, session: Session):
    secretariat = world.headers("secretariat")
    proposal = world.reviewed()
    decided = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=secretariat,
        json={
            "action": "decide",
            "outcome": "approved",
            "granted_amount": "33333.33",
            "rationale": "Retenu.",
        },
    )
    project_id = decided.json()["project_id"]
    lausanne = world.envelope_of("Ville de Lausanne", max_share_per_project="0.40")
    city_staff = make_user(
        session,
        "finances@lausanne.example",
        Role.AUTHORITY,
        funder=session.get(type(world.funder), lausanne.funder_id),
    )
    session.commit()

    federal = client.post(
        f"/api/v1/projects/{project_id}/commitments",
        headers=secretariat,
        json={"envelope_id": world.envelope.id, "amount": "20000.00"},
    ).json()
    city = client.post(
        f"/api/v1/projects/{project_id}/commitments",
        headers=secretariat,
        json={"envelope_id": lausanne.id, "amount": "13333.33"},
    ).json()
    for commitment, headers in ((federal, world.headers("authority")), (city, bearer(city_staff))):
        confirmed = client.post(
            f"/api/v1/commitments/{commitment['id']}/transitions",
            headers=headers,
            json={"action": "confirm"},
        )
        assert confirmed.json()["status"] == "confirmed", confirmed.text

    signed = client.post(
        f"/api/v1/projects/{project_id}/transitions",
        headers=secretariat,
        json={"action": "sign_agreement"},
    )
    assert signed.json()["status"] == "active", signed.text
    first = client.get(f"/api/v1/projects/{project_id}/tranches", headers=secretariat).json()[0]
    paid = client.post(
        f"/api/v1/projects/{project_id}/disbursements",
        headers=secretariat,
        json={"tranche_id": first["id"], "paid_on": "2027-05-15", "reference": "VIR-2027-0515"},
    )
    assert paid.status_code == 201
    assert sum(float(s["amount"]) for s in paid.json()["shares"]) == float(first["amount"])
    tranches = client.get(f"/api/v1/projects/{project_id}/tranches", headers=secretariat).json()
    assert [t["status"] for t in tranches] == ["paid", "pending"]
    association = client.get(
        f"/api/v1/projects/{project_id}", headers=world.headers("applicant_a")
    ).json()
    assert (association["committed_amount"], association["disbursed_amount"]) == (
        "33333.33",
        "26666.66",
    )
    events = client.get(f"/api/v1/projects/{project_id}/events", headers=secretariat).json()
    assert [e["action"] for e in events["items"]] == ["create", "sign_agreement", "disburse"]
    assert violations(session) == []
