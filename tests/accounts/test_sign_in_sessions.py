"""A person sees their live sessions and ends any of them, or all; an admin ends a user's.
Ending takes effect on the next request."""

from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, col

from fundflow.accounts.browser_sessions import open_browser_session
from fundflow.accounts.models import AuthSession
from fundflow.core.audit import Event
from fundflow.core.config import get_settings
from fundflow.core.dbtypes import utcnow
from tests.builders import World, signed_in_api


def listed(client: TestClient, headers: dict[str, str]) -> list[dict]:
    answer = client.get("/api/v1/me/sessions", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_person_sees_each_device_signed_in_and_which_is_this_one(
    client: TestClient, world: World, session: Session
):
    email = world.applicant_a.email
    laptop = signed_in_api(client, email, "Firefox on the laptop")
    signed_in_api(client, email, "fundflow-sync script")
    open_browser_session(
        session,
        get_settings(),
        user=world.applicant_a,
        client_address="10.0.0.7",
        user_agent="Chrome on the phone",
    )
    # Another person's sessions are not theirs to see.
    signed_in_api(client, world.applicant_b.email, "Teranga laptop")
    session.commit()
    sessions = listed(client, laptop)
    assert [s["user_agent"] for s in sessions] == [
        "Firefox on the laptop",
        "fundflow-sync script",
        "Chrome on the phone",
    ]
    assert [s["kind"] for s in sessions] == ["api", "api", "browser"]
    assert [s["current"] for s in sessions] == [True, False, False]
    assert sessions[2]["client_address"] == "10.0.0.7"
    assert sessions[2]["last_seen_at"] is not None


def test_ending_one_session_refuses_its_next_request_and_no_other(client: TestClient, world: World):
    email = world.applicant_a.email
    laptop = signed_in_api(client, email, "laptop")
    phone = signed_in_api(client, email, "phone")
    phone_id = next(s["id"] for s in listed(client, phone) if s["current"])
    assert client.delete(f"/api/v1/me/sessions/{phone_id}", headers=laptop).status_code == 204
    refused = client.get("/api/v1/me", headers=phone)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/me", headers=laptop).status_code == 200
    assert [s["user_agent"] for s in listed(client, laptop)] == ["laptop"]
    # Ending it again changes nothing.
    assert client.delete(f"/api/v1/me/sessions/{phone_id}", headers=laptop).status_code == 204


def test_another_persons_session_is_not_found_and_keeps_working(client: TestClient, world: World):
    mine = signed_in_api(client, world.applicant_a.email, "laptop")
    theirs = signed_in_api(client, world.applicant_b.email, "their laptop")
    their_id = listed(client, theirs)[0]["id"]
    answer = client.delete(f"/api/v1/me/sessions/{their_id}", headers=mine)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    assert client.delete("/api/v1/me/sessions/999999", headers=mine).status_code == 404


def test_sign_out_everywhere_but_here_then_everywhere(client: TestClient, world: World):
    email = world.secretariat.email
    here = signed_in_api(client, email, "office")
    elsewhere = [signed_in_api(client, email, f"device {n}") for n in range(3)]
    answer = client.delete("/api/v1/me/sessions", params={"keep_current": "true"}, headers=here)
    assert answer.status_code == 200
    assert answer.json() == {"ended": 3}
    assert all(client.get("/api/v1/me", headers=h).status_code == 401 for h in elsewhere)
    assert client.get("/api/v1/me", headers=here).status_code == 200
    everywhere = client.delete("/api/v1/me/sessions", headers=here)
    assert everywhere.json() == {"ended": 1}
    assert client.get("/api/v1/me", headers=here).status_code == 401


def test_expired_and_ended_sessions_are_not_listed(
    client: TestClient, world: World, session: Session
):
    email = world.commission.email
    current = signed_in_api(client, email, "laptop")
    old = signed_in_api(client, email, "old laptop")
    old_id = next(s["id"] for s in listed(client, old) if s["current"])
    session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.id) == old_id)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    # A browser idle past its timeout no longer admits a request: not listed either.
    open_browser_session(
        session, get_settings(), user=world.commission, client_address=None, user_agent="idle"
    )
    session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.user_agent) == "idle")
        .values(last_seen_at=utcnow() - timedelta(hours=2))
    )
    session.commit()
    assert [s["user_agent"] for s in listed(client, current)] == ["laptop"]


def test_an_admin_ends_every_session_of_a_user_and_it_is_recorded(
    client: TestClient, world: World, session: Session
):
    stolen = [signed_in_api(client, world.authority.email, f"device {n}") for n in range(2)]
    admin = world.headers("admin")
    answer = client.delete(f"/api/v1/users/{world.authority.id}/sessions", headers=admin)
    assert answer.status_code == 200
    assert answer.json() == {"ended": 2}
    assert all(client.get("/api/v1/me", headers=h).status_code == 401 for h in stolen)
    event = session.scalars(
        sa.select(Event).where(
            col(Event.entity_type) == "user",
            col(Event.entity_id) == world.authority.id,
            col(Event.action) == "end_sessions",
        )
    ).one()
    assert event.actor_id == world.admin.id and event.data == {"ended": 2}
    # The admin's own sessions are untouched; an unknown user is a 404.
    assert client.get("/api/v1/me", headers=admin).status_code == 200
    missing = client.delete("/api/v1/users/999999/sessions", headers=admin)
    assert missing.status_code == 404
