"""Production settings: a predictable key is refused, and no refused key is ever echoed."""

import secrets

import pytest
from pydantic import ValidationError

from fundflow.core.config import Settings


@pytest.mark.parametrize(
    "key",
    ["a" * 32, "abcd" * 8, "password" * 5, "0123456789" * 4],
)
def test_production_refuses_a_predictable_key_without_showing_it(key: str):
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", secret_key=key)
    message = str(refused.value)
    assert "too predictable" in message
    assert key[-6:] not in message and key[:6] not in message


def test_production_refuses_a_short_key_without_showing_it():
    key = "Zq8-short-key-x7"
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", secret_key=key)
    assert "at least 32 characters" in str(refused.value)
    assert "x7" not in str(refused.value).split("at least")[0][-40:]
    assert key not in str(refused.value)


@pytest.mark.parametrize("key", [secrets.token_urlsafe(48), secrets.token_hex(32)])
def test_production_takes_a_generated_key(key: str):
    assert Settings(environment="production", secret_key=key).secret_key is not None


def test_the_documentation_can_be_switched_off():
    from fastapi.testclient import TestClient

    from fundflow import main

    original = main.get_settings
    main.get_settings = lambda: Settings(api_docs=False)  # type: ignore[assignment]
    try:
        client = TestClient(main.create_app(check_migrations=False))
    finally:
        main.get_settings = original
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404


def test_a_failed_statement_never_carries_its_values_into_the_log(
    app, client, caplog: pytest.LogCaptureFixture
):  # type: ignore[no-untyped-def]
    """Neither the bound parameters nor the database's own message (PostgreSQL's "Failing
    row contains (…)") reach the log: only where it failed and why."""
    import logging

    import sqlalchemy as sa
    from sqlmodel import Session

    from fundflow.core.deps import SessionDep

    secret = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LWhhc2g"

    def refused_by_the_database(session: SessionDep) -> None:
        assert isinstance(session, Session)
        session.execute(
            sa.text("INSERT INTO user_account (email, password_hash) VALUES (:e, :h)"),
            {"e": None, "h": secret},
        )

    app.add_api_route("/test-only/refused", refused_by_the_database, methods=["POST"])
    with caplog.at_level(logging.DEBUG):
        answer = client.post("/test-only/refused")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert secret not in answer.text and secret not in caplog.text
    assert "database error" in caplog.text and "user_account" not in answer.text
