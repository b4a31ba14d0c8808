"""A second factor over the API: set up with a first code, asked at every sign-in
(`otp`), a code good once, recovery codes good once, required of the secretariat, admin
and authority roles after a grace period, reset by an admin."""

import time
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.accounts.models import RecoveryCode, TwoFactor, User
from fundflow.core.audit import Event
from fundflow.core.config import get_settings
from tests.builders import PASSWORD, World, bearer

TOKEN = "/api/v1/auth/token"
TWO_FACTOR = "/api/v1/me/two-factor"


def code_at(secret: str, seconds_from_now: float = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + seconds_from_now)


def set_up(client: TestClient, headers: dict[str, str]) -> tuple[str, list[str]]:
    """Set a second factor up as a person does: a secret, then the app's first code."""
    begun = client.post(TWO_FACTOR, headers=headers)
    assert begun.status_code == 201, begun.text
    secret = begun.json()["secret"]
    confirmed = client.post(
        f"{TWO_FACTOR}/confirm", json={"code": code_at(secret)}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["codes"]


def token(client: TestClient, email: str, otp: str | None = None):  # type: ignore[no-untyped-def]
    form = {"username": email, "password": PASSWORD}
    if otp is not None:
        form["otp"] = otp
    return client.post(TOKEN, data=form)


def test_setting_up_shows_a_qr_code_and_the_secret_then_asks_for_a_first_code(
    client: TestClient, world: World
):
    headers = bearer(world.applicant_a)
    before = client.get(TWO_FACTOR, headers=headers).json()
    assert before == {
        "set_up": False,
        "confirmed_at": None,
        "pending": False,
        "required": False,
        "due_at": None,
        "recovery_codes_left": 0,
    }
    begun = client.post(TWO_FACTOR, headers=headers).json()
    assert len(begun["secret"]) == 32
    assert begun["otpauth_uri"].startswith("otpauth://totp/fundflow:")
    assert f"secret={begun['secret']}" in begun["otpauth_uri"]
    assert begun["qr_svg"].startswith("<svg") and "<title>fundflow</title>" in begun["qr_svg"]
    assert client.get(TWO_FACTOR, headers=headers).json()["pending"] is True
    # Not yet set up: the password alone still signs in.
    assert token(client, world.applicant_a.email).status_code == 200

    wrong = client.post(f"{TWO_FACTOR}/confirm", json={"code": "000000"}, headers=headers)
    assert wrong.status_code == 422
    assert client.get(TWO_FACTOR, headers=headers).json()["set_up"] is False

    confirmed = client.post(
        f"{TWO_FACTOR}/confirm", json={"code": code_at(begun["secret"])}, headers=headers
    )
    assert confirmed.status_code == 200
    codes = confirmed.json()["codes"]
    assert len(codes) == 10 == len(set(codes))
    after = client.get(TWO_FACTOR, headers=headers).json()
    assert after["set_up"] is True and after["recovery_codes_left"] == 10
    # Once set up, another secret needs the first one turned off.
    assert client.post(TWO_FACTOR, headers=headers).status_code == 409


def test_the_recovery_codes_are_kept_only_as_digests(
    client: TestClient, world: World, session: Session
):
    _, codes = set_up(client, bearer(world.applicant_a))
    stored = session.exec(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)


def test_an_enrolled_person_needs_the_code_to_sign_in(client: TestClient, world: World):
    secret, _ = set_up(client, bearer(world.applicant_a))
    email = world.applicant_a.email

    missing = token(client, email)
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"].endswith("otp-required")
    # A wrong password is told as before, whether or not a second factor is set up.
    wrong_password = client.post(TOKEN, data={"username": email, "password": "not-it-at-all"})
    assert wrong_password.status_code == 401
    assert wrong_password.json()["type"].endswith("unauthenticated")

    assert token(client, email, "123456").status_code == 401
    signed_in = token(client, email, code_at(secret, 30))
    assert signed_in.status_code == 200
    me = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    )
    assert me.json()["email"] == email


def test_a_code_signs_in_once(client: TestClient, world: World):
    secret, _ = set_up(client, bearer(world.applicant_a))
    email = world.applicant_a.email
    # The set-up used the current step's code: it is spent already.
    assert token(client, email, code_at(secret)).status_code == 401
    assert token(client, email, code_at(secret, 30)).status_code == 200
    replayed = token(client, email, code_at(secret, 30))
    assert replayed.status_code == 401
    assert not replayed.json()["type"].endswith("otp-required")
    # Nor does an earlier step's code work after a later one.
    assert token(client, email, code_at(secret, -30)).status_code == 401


def test_wrong_codes_count_towards_the_sign_in_lock(client: TestClient, world: World):
    secret, _ = set_up(client, bearer(world.applicant_a))
    email = world.applicant_a.email
    for _ in range(get_settings().login_max_failures):
        assert token(client, email, "999999").status_code == 401
    locked = token(client, email, code_at(secret, 30))
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0


def test_a_recovery_code_signs_in_once(client: TestClient, world: World):
    headers = bearer(world.applicant_a)
    _, codes = set_up(client, headers)
    email = world.applicant_a.email
    assert token(client, email, codes[3].upper().replace("-", " ")).status_code == 200
    assert token(client, email, codes[3]).status_code == 401
    assert client.get(TWO_FACTOR, headers=headers).json()["recovery_codes_left"] == 9
    # Another person's code is nobody else's.
    other_headers = bearer(world.applicant_b)
    _, theirs = set_up(client, other_headers)
    assert token(client, email, theirs[0]).status_code == 401


def test_new_recovery_codes_replace_the_old_ones(client: TestClient, world: World):
    headers = bearer(world.applicant_a)
    secret, old = set_up(client, headers)
    refused = client.post(f"{TWO_FACTOR}/recovery-codes", json={"code": "111111"}, headers=headers)
    assert refused.status_code == 422
    renewed = client.post(
        f"{TWO_FACTOR}/recovery-codes", json={"code": code_at(secret, 30)}, headers=headers
    )
    assert renewed.status_code == 200
    new = renewed.json()["codes"]
    assert set(new).isdisjoint(old)
    email = world.applicant_a.email
    assert token(client, email, old[0]).status_code == 401
    assert token(client, email, new[0]).status_code == 200


def test_an_applicant_may_turn_it_off_with_a_code(client: TestClient, world: World):
    headers = bearer(world.applicant_a)
    secret, _ = set_up(client, headers)
    wrong = client.post(f"{TWO_FACTOR}/off", json={"code": "000000"}, headers=headers)
    assert wrong.status_code == 422
    assert token(client, world.applicant_a.email).status_code == 401  # still asked
    off = client.post(f"{TWO_FACTOR}/off", json={"code": code_at(secret, 30)}, headers=headers)
    assert off.status_code == 204
    assert token(client, world.applicant_a.email).status_code == 200


@pytest.mark.parametrize("who", ["secretariat", "admin", "authority"])
def test_a_role_that_requires_it_cannot_turn_it_off(client: TestClient, world: World, who: str):
    headers = world.headers(who)
    secret, _ = set_up(client, headers)
    status = client.get(TWO_FACTOR, headers=headers).json()
    assert status["required"] is True and status["due_at"] is None
    refused = client.post(f"{TWO_FACTOR}/off", json={"code": code_at(secret, 30)}, headers=headers)
    assert refused.status_code == 409
    assert token(client, getattr(world, who).email).status_code == 401


def _past_grace(session: Session, user: User) -> None:
    user.created_at = user.created_at - timedelta(days=get_settings().two_factor_grace_days + 1)
    session.add(user)
    session.commit()


def test_a_required_role_without_it_may_only_set_it_up_after_the_grace_period(
    client: TestClient, world: World, session: Session
):
    email = world.secretariat.email
    within = token(client, email)
    assert within.status_code == 200
    within_headers = {"Authorization": f"Bearer {within.json()['access_token']}"}
    status = client.get(TWO_FACTOR, headers=within_headers).json()
    assert status["required"] is True and status["due_at"] is not None
    assert client.get("/api/v1/proposals", headers=within_headers).status_code == 200

    _past_grace(session, world.secretariat)
    answer = token(client, email)
    assert answer.status_code == 200
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    refused = client.get("/api/v1/proposals", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("two-factor-required")
    assert client.get("/api/v1/me", headers=headers).status_code == 403
    # Setting it up frees this very session.
    secret, _ = set_up(client, headers)
    assert client.get("/api/v1/proposals", headers=headers).status_code == 200
    assert token(client, email, code_at(secret, 30)).status_code == 200


def test_a_role_that_does_not_require_it_is_never_held_back(
    client: TestClient, world: World, session: Session
):
    _past_grace(session, world.applicant_a)
    answer = token(client, world.applicant_a.email)
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert client.get("/api/v1/proposals", headers=headers).status_code == 200


def test_an_admin_resets_a_lost_second_factor(client: TestClient, world: World, session: Session):
    _, _ = set_up(client, bearer(world.commission))
    email = world.commission.email
    assert token(client, email).status_code == 401
    phone = bearer(world.commission)
    assert world.commission.id is not None
    reset = client.delete(
        f"/api/v1/users/{world.commission.id}/two-factor", headers=world.headers("admin")
    )
    assert reset.status_code == 204
    assert client.get("/api/v1/me", headers=phone).status_code == 401  # sessions ended
    assert token(client, email).status_code == 200
    assert session.get(TwoFactor, world.commission.id) is None
    event = session.exec(
        select(Event).where(
            Event.action == "reset_two_factor", Event.entity_id == world.commission.id
        )
    ).one()
    assert event.actor_id == world.admin.id
