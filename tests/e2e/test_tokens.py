"""Forged, expired, `alg: none` and revoked tokens are refused by the running server
(defect 12)."""

import base64
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from jose import jwt

from tests.e2e.conftest import ADMIN, APPLICANT
from tests.e2e.server import LiveServer

SERVER_KEY = "e2e-secret-key-0123456789-abcdefghijklmnop"


def _me(server: LiveServer, token: str) -> httpx.Response:
    with server.client(token) as client:
        return client.get("/api/v1/me")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims_of(token: str) -> dict[str, object]:
    return jwt.get_unverified_claims(token)


def test_a_good_token_works_and_bad_ones_are_401(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    good = token_of(APPLICANT)
    claims = _claims_of(good)
    assert _me(live_server, good).status_code == 200
    now = datetime.now(UTC)
    forged = {
        "signed with another key": jwt.encode(claims, "another-key-" * 4, algorithm="HS256"),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "expired": jwt.encode(
            {**claims, "exp": now - timedelta(minutes=1), "iat": now - timedelta(hours=1)},
            SERVER_KEY,
            algorithm="HS256",
        ),
        "another algorithm": jwt.encode(claims, SERVER_KEY, algorithm="HS512"),
        "sub out of range": jwt.encode({**claims, "sub": str(2**63)}, SERVER_KEY, "HS256"),
        "no session": jwt.encode({**claims, "sid": None}, SERVER_KEY, "HS256"),
        "unknown session": jwt.encode({**claims, "sid": str(2**31 - 1)}, SERVER_KEY, "HS256"),
        "another user's session": jwt.encode({**claims, "sub": "1"}, SERVER_KEY, "HS256"),
        "garbage": "not.a.token",
    }
    for name, token in forged.items():
        answer = _me(live_server, token)
        assert answer.status_code == 401, name
        assert answer.headers["content-type"] == "application/problem+json", name
        assert answer.headers["www-authenticate"] == "Bearer", name


def test_logout_ends_the_token_and_only_that_one(live_server: LiveServer) -> None:
    first, second = live_server.token(APPLICANT), live_server.token(APPLICANT)
    with live_server.client(first) as client:
        assert client.post("/api/v1/auth/logout").status_code == 204
        assert client.get("/api/v1/me").status_code == 401
    assert _me(live_server, second).status_code == 200


def _new_user(server: LiveServer, admin: str) -> tuple[int, str]:
    email, password = f"benevole-{uuid.uuid4().hex[:8]}@example.org", "un-mot-de-passe-long"
    with server.client(admin) as client:
        created = client.post(
            "/api/v1/users",
            json={
                "email": email,
                "full_name": "Bénévole",
                "password": password,
                "roles": ["commission"],
            },
        )
    assert created.status_code == 201, created.text
    return created.json()["id"], email


def test_a_new_password_and_a_deactivation_end_old_tokens_for_good(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    admin = token_of(ADMIN)
    user_id, email = _new_user(live_server, admin)
    before_password = live_server.token(email, "un-mot-de-passe-long")
    with live_server.client(admin) as client:
        changed = client.patch(
            f"/api/v1/users/{user_id}", json={"password": "un-autre-mot-de-passe"}
        )
        assert changed.status_code == 200
    assert _me(live_server, before_password).status_code == 401

    before_deactivation = live_server.token(email, "un-autre-mot-de-passe")
    with live_server.client(admin) as client:
        assert (
            client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200
        )
        assert _me(live_server, before_deactivation).status_code == 401
        assert client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}).status_code == 200
    # Reactivating the account does not bring its old tokens back.
    assert _me(live_server, before_deactivation).status_code == 401
    assert _me(live_server, before_password).status_code == 401
    assert _me(live_server, live_server.token(email, "un-autre-mot-de-passe")).status_code == 200


def _sign_in_seconds(server: LiveServer, email: str, password: str) -> float:
    started = time.perf_counter()
    answer = httpx.post(
        f"{server.url}/api/v1/auth/token",
        data={"username": email, "password": password},
        headers={"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250}"},
        timeout=30,
    )
    assert answer.status_code in (200, 401)
    return time.perf_counter() - started


def test_a_deactivated_account_takes_as_long_to_refuse_as_an_active_one(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    admin = token_of(ADMIN)
    user_id, email = _new_user(live_server, admin)
    with live_server.client(admin) as client:
        assert (
            client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200
        )
    # The refusal verifies a hash either way: not a speed target, a difference of nature
    # (~12 ms without a hash against ~100+ ms with one).
    deactivated = min(
        _sign_in_seconds(live_server, email, "un-mot-de-passe-long") for _ in range(3)
    )
    active = min(_sign_in_seconds(live_server, APPLICANT, "wrong-password-x") for _ in range(3))
    assert deactivated > active / 3, (deactivated, active)
