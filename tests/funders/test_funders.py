from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.funders.models import Envelope
from tests.builders import World


def test_envelopes_carry_rules_and_report_available(client: TestClient, world: World):
    headers = world.headers("secretariat")
    created = client.post(
        f"/api/v1/funders/{world.funder.id}/envelopes",
        headers=headers,
        json={
            "year": 2027,
            "amount": 1200000,
            "eligible_countries": ["ma", "SN"],
            "eligible_call_kinds": ["cooperation"],
            "use_abroad_only": True,
            "max_share_per_project": "0.40",
            "max_amount_per_project": "50000",
            "call_id": world.call.id,
            "label": "Contribution de programme",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["amount"] == "1200000.00" and body["committed"] == "0.00"
    assert body["available"] == "1200000.00" and body["eligible_countries"] == ["MA", "SN"]
    assert body["max_share_per_project"] == "0.4000"
    for bad in (
        {"year": 2027, "amount": "-1"},
        {"year": 2027, "amount": "1.001"},
        {"year": 2027, "amount": "10", "eligible_call_kinds": ["sports"]},
        {"year": 2027, "amount": "10", "max_share_per_project": "1.5"},
    ):
        assert (
            client.post(
                f"/api/v1/funders/{world.funder.id}/envelopes", headers=headers, json=bad
            ).status_code
            == 422
        ), bad
    unknown_call = client.post(
        f"/api/v1/funders/{world.funder.id}/envelopes",
        headers=headers,
        json={"year": 2027, "amount": "10", "call_id": 9999},
    )
    assert unknown_call.status_code == 422


def test_an_envelope_never_drops_below_what_it_committed(
    client: TestClient, world: World, session: Session
):
    envelope = session.get(Envelope, world.envelope.id)
    assert envelope is not None
    envelope.committed = envelope.amount - 100000  # as the co-financing services will
    session.commit()
    headers = world.headers("secretariat")
    shown = client.get(f"/api/v1/envelopes/{envelope.id}", headers=headers).json()
    assert shown["available"] == "100000.00"
    refused = client.patch(
        f"/api/v1/envelopes/{envelope.id}", headers=headers, json={"amount": "399999.99"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "amount_covers_commitments"
    accepted = client.patch(
        f"/api/v1/envelopes/{envelope.id}", headers=headers, json={"amount": "400000.00"}
    )
    assert accepted.json()["available"] == "0.00"


def test_authorities_read_their_own_funder_envelopes_only(client: TestClient, world: World):
    other = client.post(
        "/api/v1/funders",
        headers=world.headers("secretariat"),
        json={"name": "Ville de Lausanne", "level": "communal"},
    ).json()
    mine = client.get(
        f"/api/v1/funders/{world.funder.id}/envelopes", headers=world.headers("authority")
    )
    assert [e["id"] for e in mine.json()["items"]] == [world.envelope.id]
    assert (
        client.get(
            f"/api/v1/funders/{other['id']}/envelopes", headers=world.headers("authority")
        ).status_code
        == 403
    )
    assert (
        client.get(
            "/api/v1/funders/999/envelopes", headers=world.headers("secretariat")
        ).status_code
        == 404
    )
    duplicate = client.post(
        "/api/v1/funders",
        headers=world.headers("secretariat"),
        json={"name": "Ville de Lausanne", "level": "communal"},
    )
    assert duplicate.status_code == 409
