from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from jose import jwt
from pydantic import ValidationError

from fundflow.core.config import Settings, get_settings
from fundflow.core.dbtypes import utcnow
from tests.builders import PASSWORD, World


def token_for(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def test_login_is_case_insensitive_on_the_email(client: TestClient, world: World):
    response = token_for(client, "Youssef@Tafraout.EXAMPLE")
    assert response.status_code == 200
    claims = jwt.get_unverified_claims(response.json()["access_token"])
    assert claims["sub"] == str(world.applicant_a.id)
    assert claims["exp"] - claims["iat"] == get_settings().access_token_minutes * 60
    assert jwt.get_unverified_header(response.json()["access_token"])["alg"] == "HS256"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("youssef@tafraout.example", "wrong-password-1"),
        ("nobody@tafraout.example", PASSWORD),
    ],
)
def test_wrong_credentials_are_401_without_saying_which(
    client: TestClient, world: World, email: str, password: str
):
    response = token_for(client, email, password)
    assert response.status_code == 401
    assert response.json()["detail"] == "Incorrect e-mail or password."


def test_deactivated_user_cannot_log_in_nor_use_an_old_token(client: TestClient, world: World):
    headers = world.headers("applicant_a")
    patched = client.patch(
        f"/api/v1/users/{world.applicant_a.id}",
        json={"is_active": False},
        headers=world.headers("admin"),
    )
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    assert token_for(client, world.applicant_a.email).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def _forged(claims: dict, key: str, algorithm: str = "HS256") -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt.encode(claims, key, algorithm=algorithm)}"}


def test_expired_forged_and_unsigned_tokens_are_refused(client: TestClient, world: World):
    key = get_settings().secret_key.get_secret_value()  # type: ignore[union-attr]
    now = utcnow()
    sub = str(world.secretariat.id)
    expired = _forged({"sub": sub, "typ": "access", "exp": now - timedelta(seconds=5)}, key)
    other_key = _forged(
        {"sub": sub, "typ": "access", "exp": now + timedelta(hours=1)},
        "another-key-of-at-least-thirty-two-chars",
    )
    no_exp = _forged({"sub": sub, "typ": "access"}, key)
    other_alg = _forged(
        {"sub": sub, "typ": "access", "exp": now + timedelta(hours=1)}, key, "HS512"
    )
    header = jwt.get_unverified_header(jwt.encode({"a": 1}, key))  # shape of a real header
    assert header["alg"] == "HS256"
    unsigned = {
        "Authorization": "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
        "eyJzdWIiOiIxIiwidHlwIjoiYWNjZXNzIiwiZXhwIjo0MTAyNDQ0ODAwfQ."
    }
    for headers in (
        expired,
        other_key,
        no_exp,
        other_alg,
        unsigned,
        {"Authorization": "Bearer not-a-token"},
    ):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_read_before_is_refused_once_it_expires(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
):
    """A token's signature is checked once per process; its expiry on every request."""
    headers = world.headers("secretariat")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    later = utcnow() + timedelta(minutes=get_settings().access_token_minutes, seconds=1)
    monkeypatch.setattr("fundflow.core.tokens.utcnow", lambda: later)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_production_refuses_to_start_without_a_secret(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("FUNDFLOW_SECRET_KEY")
    with pytest.raises(ValidationError, match="FUNDFLOW_SECRET_KEY must be set"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(environment="production", secret_key="short")  # type: ignore[arg-type]


def test_admin_creates_users_with_several_roles(client: TestClient, world: World):
    admin = world.headers("admin")
    created = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "email": "Mariam@Fedevaco.example",
            "full_name": "Mariam Sow",
            "password": "long-enough-password",
            "roles": ["commission", "applicant", "commission"],
            "organisation_id": world.org_b.id,
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "mariam@fedevaco.example"
    assert body["roles"] == ["commission", "applicant"]
    assert "password" not in body and "password_hash" not in body
    login = token_for(client, "mariam@fedevaco.example", "long-enough-password")
    me = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    ).json()
    assert me["roles"] == ["commission", "applicant"] and me["organisation_id"] == world.org_b.id
    duplicate = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "email": "mariam@fedevaco.example",
            "password": "long-enough-password",
            "roles": ["commission"],
        },
    )
    assert duplicate.status_code == 409


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        ({"roles": ["applicant"]}, "applicant_needs_organisation"),
        ({"roles": ["authority"]}, "authority_needs_funder"),
        ({"roles": ["applicant"], "organisation_id": 999}, "organisation_exists"),
    ],
)
def test_user_links_are_checked(client: TestClient, world: World, payload: dict, rule: str):
    response = client.post(
        "/api/v1/users",
        headers=world.headers("admin"),
        json={"email": "x@fedevaco.example", "password": "long-enough-password", **payload},
    )
    assert response.status_code == 422
    assert rule in [e["rule"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": "long-enough-password", "roles": ["commission"]},
        {"email": "x@fedevaco.example", "password": "short", "roles": ["commission"]},
        {"email": "x@fedevaco.example", "password": "long-enough-password", "roles": []},
        {"email": "x@fedevaco.example", "password": "long-enough-password", "roles": ["king"]},
    ],
)
def test_bad_user_input_is_422(client: TestClient, world: World, payload: dict):
    assert (
        client.post("/api/v1/users", headers=world.headers("admin"), json=payload).status_code
        == 422
    )


def test_roles_can_be_changed_and_list_filtered(client: TestClient, world: World):
    admin = world.headers("admin")
    changed = client.patch(
        f"/api/v1/users/{world.commission.id}",
        headers=admin,
        json={"roles": ["commission", "secretariat"]},
    )
    assert changed.json()["roles"] == ["secretariat", "commission"]
    listed = client.get("/api/v1/users?role=secretariat", headers=admin).json()["items"]
    assert {u["email"] for u in listed} == {world.secretariat.email, world.commission.email}
    stale = client.patch(
        f"/api/v1/users/{world.commission.id}", headers=admin, json={"full_name": "X", "version": 1}
    )
    assert stale.status_code == 409
