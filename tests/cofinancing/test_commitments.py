"""Commitments: drawn from envelopes under their rules, confirmed by the funder."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.funders.models import Envelope, FunderLevel
from fundflow.proposals.models import Proposal
from tests.builders import World


def propose(client: TestClient, world: World, project_id: int, envelope_id: int, amount: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/projects/{project_id}/commitments",
        headers=world.headers("secretariat"),
        json={"envelope_id": envelope_id, "amount": amount},
    )


def rules(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    return [e["rule"] for e in response.json()["errors"]]


def test_a_commitment_reserves_the_envelope(client: TestClient, world: World):
    project = world.project()
    response = propose(client, world, project.id, world.envelope.id, "20000.00")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["amount"], body["funder_id"], body["disbursed"]) == (
        "proposed",
        "20000.00",
        world.funder.id,
        "0.00",
    )
    envelope = client.get(
        f"/api/v1/envelopes/{world.envelope.id}", headers=world.headers("secretariat")
    ).json()
    assert (envelope["committed"], envelope["available"]) == ("20000.00", "480000.00")
    # The rest of the grant is 15,000: 15,000.01 more is refused.
    assert rules(propose(client, world, project.id, world.envelope.id, "15000.01")) == [
        "project_remainder"
    ]


@pytest.mark.parametrize(
    ("rule", "envelope_data", "amount"),
    [
        ("envelope_year", {"year": 2001}, "1000.00"),
        ("eligible_call_kinds", {"eligible_call_kinds": ["integration"]}, "1000.00"),
        ("eligible_countries", {"eligible_countries": ["SN", "ML"]}, "1000.00"),
        ("max_share_per_project", {"max_share_per_project": "0.40"}, "14000.01"),
        ("max_amount_per_project", {"max_amount_per_project": "10000.00"}, "10000.01"),
        ("envelope_available", {"amount": "5000.00"}, "5000.01"),
    ],
)
def test_each_envelope_rule_refuses_with_its_name(
    client: TestClient, world: World, rule: str, envelope_data: dict, amount: str
):
    project = world.project()  # 35,000 granted, in Morocco, cooperation call
    envelope = world.envelope_of("Ville de Lausanne", **envelope_data)
    assert rules(propose(client, world, project.id, envelope.id, amount)) == [rule]
    # At the limit itself, the same envelope accepts.
    if rule in ("max_share_per_project", "max_amount_per_project", "envelope_available"):
        limit = {
            "max_share_per_project": "14000.00",
            "max_amount_per_project": "10000.00",
            "envelope_available": "5000.00",
        }[rule]
        assert propose(client, world, project.id, envelope.id, limit).status_code == 201


def test_use_abroad_only_and_call_reserved_envelopes(
    client: TestClient, world: World, session: Session
):
    project = world.project()
    abroad = world.envelope_of(
        "Direction du développement", FunderLevel.FEDERAL, use_abroad_only=True
    )
    proposal = session.get(Proposal, project.proposal_id)
    proposal.country = "CH"
    session.commit()
    assert rules(propose(client, world, project.id, abroad.id, "1000.00")) == ["use_abroad_only"]
    other_call = world.envelope_of("Commune de Morges", call_id=world.integration_call.id)
    assert rules(propose(client, world, project.id, other_call.id, "1000.00")) == ["envelope_call"]


def test_confirm_by_the_funder_or_the_secretariat_on_its_behalf(client: TestClient, world: World):
    project = world.project()
    mine = propose(client, world, project.id, world.envelope.id, "20000.00").json()
    lausanne = world.envelope_of("Ville de Lausanne")
    theirs = propose(client, world, project.id, lausanne.id, "15000.00").json()
    authority = world.headers("authority")
    # Another funder's commitment is invisible to this authority.
    assert (
        client.post(
            f"/api/v1/commitments/{theirs['id']}/transitions",
            headers=authority,
            json={"action": "confirm"},
        ).status_code
        == 404
    )
    confirmed = client.post(
        f"/api/v1/commitments/{mine['id']}/transitions",
        headers=authority,
        json={"action": "confirm"},
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    on_behalf = client.post(
        f"/api/v1/commitments/{theirs['id']}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "confirm"},
    )
    assert on_behalf.json()["status"] == "confirmed"
    events = client.get(
        f"/api/v1/commitments/{theirs['id']}/events", headers=world.headers("secretariat")
    ).json()["items"]
    assert events[-1]["acting_as"] == "secretariat"
    assert (
        client.post(
            f"/api/v1/commitments/{mine['id']}/transitions",
            headers=authority,
            json={"action": "cancel"},
        ).status_code
        == 403
    )
    # The authority now reads the project it co-finances, and its ledger.
    assert client.get(f"/api/v1/projects/{project.id}", headers=authority).status_code == 200
    ledger = client.get(f"/api/v1/projects/{project.id}/ledger", headers=authority).json()
    assert (ledger["confirmed"], ledger["proposed"]) == ("35000.00", "0.00")


def test_decline_and_cancel_give_the_money_back(client: TestClient, world: World, session: Session):
    project = world.project()
    first = propose(client, world, project.id, world.envelope.id, "20000.00").json()
    second = propose(client, world, project.id, world.envelope.id, "10000.00").json()
    client.post(
        f"/api/v1/commitments/{first['id']}/transitions",
        headers=world.headers("authority"),
        json={"action": "decline", "comment": "Budget 2027 épuisé pour ce pays"},
    )
    client.post(
        f"/api/v1/commitments/{second['id']}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "cancel"},
    )
    envelope = session.get(Envelope, world.envelope.id)
    session.refresh(envelope)
    assert envelope.committed == 0
    # The whole grant can be committed again.
    assert propose(client, world, project.id, world.envelope.id, "35000.00").status_code == 201
