from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from fundflow.calls.models import Call
from fundflow.proposals.models import Proposal
from tests.builders import World, call_payload, proposal_payload


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_retried_post_with_same_key_creates_one_proposal(
    client: TestClient, world: World, session: Session
):
    headers = {**world.headers("applicant_a"), "Idempotency-Key": "c0ffee-1"}
    payload = proposal_payload(world.call, world.partner_a)
    first = client.post("/api/v1/proposals", json=payload, headers=headers)
    again = client.post("/api/v1/proposals", json=payload, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert count(session, Proposal) == 1


def test_same_key_with_another_body_is_refused(client: TestClient, world: World, session: Session):
    headers = {**world.headers("applicant_a"), "Idempotency-Key": "c0ffee-2"}
    client.post(
        "/api/v1/proposals", json=proposal_payload(world.call, world.partner_a), headers=headers
    )
    other = client.post(
        "/api/v1/proposals",
        headers=headers,
        json=proposal_payload(world.call, world.partner_a, title="Other"),
    )
    assert other.status_code == 422
    assert count(session, Proposal) == 1


def test_keys_belong_to_their_user_and_absent_keys_create_each_time(
    client: TestClient, world: World, session: Session
):
    payload = proposal_payload(world.call, world.partner_a)
    client.post(
        "/api/v1/proposals",
        json=payload,
        headers={**world.headers("applicant_a"), "Idempotency-Key": "k"},
    )
    client.post(
        "/api/v1/proposals",
        json=proposal_payload(world.call, world.partner_b, country="SN"),
        headers={**world.headers("applicant_b"), "Idempotency-Key": "k"},
    )
    client.post("/api/v1/proposals", json=payload, headers=world.headers("applicant_a"))
    client.post("/api/v1/proposals", json=payload, headers=world.headers("applicant_a"))
    assert count(session, Proposal) == 4


def test_failed_request_does_not_burn_the_key(client: TestClient, world: World, session: Session):
    headers = {**world.headers("secretariat"), "Idempotency-Key": "call-2028"}
    bad = client.post("/api/v1/calls", json=call_payload(title="x"), headers=headers)
    assert bad.status_code == 422
    calls_before = count(session, Call)
    good = client.post("/api/v1/calls", json=call_payload(), headers=headers)
    assert good.status_code == 201
    assert count(session, Call) == calls_before + 1


def test_purge_forgets_only_old_keys(client: TestClient, world: World, session: Session):
    from datetime import timedelta

    from fundflow.core.dbtypes import utcnow
    from fundflow.core.idempotency import purge_expired
    from fundflow.core.idempotency_models import IdempotencyRecord

    for key in ("old", "new"):
        client.post(
            "/api/v1/proposals",
            json=proposal_payload(world.call, world.partner_a),
            headers={**world.headers("applicant_a"), "Idempotency-Key": key},
        )
    old = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "old")).one()
    old.created_at = utcnow() - timedelta(hours=25)
    session.commit()
    assert purge_expired(session, older_than=timedelta(hours=24)) == 1
    remaining = session.exec(select(IdempotencyRecord.key)).all()
    assert remaining == ["new"]
