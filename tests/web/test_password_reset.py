"""A forgotten password: a one-time link by e-mail (to the local SMTP server), then a new
password that ends every session; the same answer for an address with no account."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.accounts.models import AuthSession, PasswordReset
from fundflow.core.dbtypes import utcnow
from tests.builders import World
from tests.mail import Inbox
from tests.web.pages import send_form, sign_in

LINK = re.compile(r"https://fundflow\.example/mot-de-passe/nouveau\?jeton=(\S+)")


def _ask(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    return send_form(client, "/mot-de-passe/oubli", "/mot-de-passe/oubli", {"email": email})


def test_a_forgotten_password_is_replaced_through_the_link(
    browser_client: TestClient, world: World, session: Session, inbox: Inbox
):
    sign_in(browser_client, "youssef@tafraout.example")  # a session the new password ends
    browser_client.cookies.clear()
    sent = _ask(browser_client, "Youssef@Tafraout.example ")
    assert sent.status_code == 200 and "Consultez vos e-mails" in sent.text
    [(to, subject, body)] = inbox.messages
    assert to == ["youssef@tafraout.example"] and subject == "Choisir un nouveau mot de passe"
    token = LINK.search(body).group(1)  # type: ignore[union-attr]
    assert session.exec(select(PasswordReset)).one().token_hash != token

    page = f"/mot-de-passe/nouveau?jeton={token}"
    mismatch = send_form(
        browser_client,
        page,
        "/mot-de-passe/nouveau",
        {"token": token, "password": "deux chats gris", "confirmation": "deux chats noirs"},
    )
    assert mismatch.status_code == 400 and 'href="#confirmation"' in mismatch.text
    chosen = send_form(
        browser_client,
        page,
        "/mot-de-passe/nouveau",
        {"token": token, "password": "deux chats gris", "confirmation": "deux chats gris"},
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/connexion?password_changed=1"
    assert all(row.ended_at for row in session.exec(select(AuthSession)).all())
    sign_in(browser_client, "youssef@tafraout.example", "deux chats gris")
    # The link worked once.
    again = browser_client.get(page)
    assert again.status_code == 400 and "Ce lien ne fonctionne plus" in again.text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    browser_client: TestClient, world: World, inbox: Inbox
):
    known = _ask(browser_client, "youssef@tafraout.example")
    unknown = _ask(browser_client, "personne@nulle-part.example")
    strip = lambda text: re.sub(r'value="[^"]+"|[\w.@-]+@[\w.-]+', "", text)  # noqa: E731
    assert unknown.status_code == known.status_code == 200
    assert strip(unknown.text) == strip(known.text)
    assert [to for to, _, _ in inbox.messages] == [["youssef@tafraout.example"]]


def test_an_expired_or_replaced_link_does_nothing(
    browser_client: TestClient, world: World, session: Session, inbox: Inbox
):
    _ask(browser_client, "youssef@tafraout.example")
    _ask(browser_client, "youssef@tafraout.example")
    first, second = (LINK.search(body).group(1) for _, _, body in inbox.messages)  # type: ignore[union-attr]
    fields = {"password": "deux chats gris", "confirmation": "deux chats gris"}
    replaced = send_form(
        browser_client, "/mot-de-passe/oubli", "/mot-de-passe/nouveau", {"token": first, **fields}
    )
    assert replaced.status_code == 400
    newest = session.exec(select(PasswordReset).where(PasswordReset.used_at.is_(None))).one()  # type: ignore[union-attr]
    newest.expires_at = utcnow() - timedelta(seconds=1)
    session.add(newest)
    session.commit()
    expired = send_form(
        browser_client, "/mot-de-passe/oubli", "/mot-de-passe/nouveau", {"token": second, **fields}
    )
    assert expired.status_code == 400 and "Ce lien ne fonctionne plus" in expired.text
    sign_in(browser_client, "youssef@tafraout.example")  # the old password still works


def test_a_short_password_is_refused_with_its_reason(
    browser_client: TestClient, world: World, inbox: Inbox
):
    _ask(browser_client, "youssef@tafraout.example")
    token = LINK.search(inbox.messages[0][2]).group(1)  # type: ignore[union-attr]
    short = send_form(
        browser_client,
        f"/mot-de-passe/nouveau?jeton={token}",
        "/mot-de-passe/nouveau",
        {"token": token, "password": "court", "confirmation": "court"},
    )
    assert short.status_code == 400
    assert "au moins 10 caractères" in short.text and 'href="#password"' in short.text
