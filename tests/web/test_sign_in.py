"""Signing in and out of the pages: a server-side session behind an opaque cookie."""

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.accounts.models import AuthSession, SessionKind
from fundflow.core.dbtypes import utcnow
from fundflow.web.deps import SESSION_COOKIE
from tests.builders import World
from tests.web.pages import send_form, sign_in


def test_a_page_for_signed_in_people_sends_others_to_sign_in_and_back(
    browser_client: TestClient, world: World
):
    answer = browser_client.get("/?tri=recent")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion?next=/%3Ftri%3Drecent"
    signed = send_form(
        browser_client,
        answer.headers["location"],
        "/connexion",
        {
            "email": "youssef@tafraout.example",
            "password": "correct-horse-battery",
            "next": "/?tri=recent",
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/?tri=recent"
    assert browser_client.get("/").status_code == 200


def test_the_session_cookie_is_opaque_http_only_secure_and_lax(
    browser_client: TestClient, world: World, session: Session
):
    answer = sign_in(browser_client, "youssef@tafraout.example")
    cookie = next(
        header
        for header in answer.headers.get_list("set-cookie")
        if header.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    token = browser_client.cookies[SESSION_COOKIE]
    row = session.exec(select(AuthSession).where(AuthSession.kind == SessionKind.BROWSER)).one()
    # Only the id's hash is stored: a copy of the database signs nobody in.
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash or "")
    assert "youssef" not in token and str(row.user_id) != token


def test_each_sign_in_gets_a_new_session_id(browser_client: TestClient, world: World):
    sign_in(browser_client, "youssef@tafraout.example")
    first = browser_client.cookies[SESSION_COOKIE]
    browser_client.cookies.delete(SESSION_COOKIE)
    sign_in(browser_client, "youssef@tafraout.example")
    assert browser_client.cookies[SESSION_COOKIE] != first


def test_a_wrong_password_shows_the_form_again_with_its_error_and_the_address_kept(
    browser_client: TestClient, world: World
):
    answer = send_form(
        browser_client,
        "/connexion",
        "/connexion",
        {"email": "youssef@tafraout.example", "password": "wrong", "next": "/"},
    )
    assert answer.status_code == 400
    assert "<title>Erreur : Se connecter – fundflow</title>" in answer.text
    assert "L’adresse e-mail ou le mot de passe n’est pas correct." in answer.text
    assert 'href="#email"' in answer.text  # the summary links to the field
    assert 'value="youssef@tafraout.example"' in answer.text
    assert SESSION_COOKIE not in browser_client.cookies


def test_empty_fields_are_each_named(browser_client: TestClient, world: World):
    answer = send_form(browser_client, "/connexion", "/connexion", {"email": "", "password": ""})
    assert answer.status_code == 400
    assert 'href="#email"' in answer.text and 'href="#password"' in answer.text
    assert answer.text.count('aria-invalid="true"') == 2


def test_signing_out_ends_the_session_on_the_server(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, "youssef@tafraout.example")
    token = browser_client.cookies[SESSION_COOKIE]
    answer = send_form(browser_client, "/", "/deconnexion", {})
    assert answer.status_code == 303
    row = session.exec(select(AuthSession).where(AuthSession.kind == SessionKind.BROWSER)).one()
    assert row.ended_at is not None
    # The old cookie, replayed, no longer signs anyone in.
    assert SESSION_COOKIE not in browser_client.cookies  # the browser forgets it...
    browser_client.cookies.set(SESSION_COOKIE, token)
    assert browser_client.get("/").status_code == 303  # ...and the server too
    # A live session's id set the same way does sign in: the refusal was the server's.
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    live = browser_client.cookies[SESSION_COOKIE]
    browser_client.cookies.clear()
    browser_client.cookies.set(SESSION_COOKIE, live)
    assert browser_client.get("/").status_code == 200


def test_an_idle_session_ends(browser_client: TestClient, world: World, session: Session):
    sign_in(browser_client, "youssef@tafraout.example")
    row = session.exec(select(AuthSession).where(AuthSession.kind == SessionKind.BROWSER)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.add(row)
    session.commit()
    assert browser_client.get("/").status_code == 303


def test_a_sign_in_from_another_site_is_refused(browser_client: TestClient, world: World):
    answer = browser_client.post(
        "/connexion", data={"email": "youssef@tafraout.example", "password": "x"}
    )
    assert answer.status_code == 403
    assert "Le formulaire a expiré" in answer.text


def test_a_sign_out_from_another_site_is_refused(browser_client: TestClient, world: World):
    sign_in(browser_client, "youssef@tafraout.example")
    answer = browser_client.post("/deconnexion", data={"csrftoken": "forged"})
    assert answer.status_code == 403
    assert browser_client.get("/").status_code == 200


def test_after_sign_in_only_our_own_pages_are_targets(browser_client: TestClient, world: World):
    answer = send_form(
        browser_client,
        "/connexion",
        "/connexion",
        {
            "email": "youssef@tafraout.example",
            "password": "correct-horse-battery",
            "next": "//evil.example/",
        },
    )
    assert answer.headers["location"] == "/"


def test_signing_in_again_ends_the_session_it_replaces(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, "youssef@tafraout.example")
    # Signed in, the sign-in page sends one home; a form posted anyway signs in anew.
    assert browser_client.get("/connexion").status_code == 303
    again = send_form(
        browser_client,
        "/",
        "/connexion",
        {"email": "youssef@tafraout.example", "password": "correct-horse-battery"},
    )
    assert again.status_code == 303
    rows = session.exec(
        select(AuthSession).where(AuthSession.kind == SessionKind.BROWSER).order_by(AuthSession.id)
    ).all()
    assert [row.ended_at is not None for row in rows] == [True, False]
