"""The secretariat invites a member of an association by e-mail; the member chooses a
password through the link, signs in and works on the association's proposals."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.accounts.models import User
from fundflow.core.audit import Event
from tests.builders import World
from tests.mail import Inbox
from tests.web.pages import csrf_token, send_form, sign_in

LINK = re.compile(r"https://fundflow\.example/mot-de-passe/nouveau\?jeton=(\S+)")


def test_an_invited_member_chooses_a_password_and_sees_the_association_s_proposals(
    browser_client: TestClient, world: World, session: Session, inbox: Inbox
):
    draft = world.proposal(title="Puits de Tafraout")
    sign_in(browser_client, "secretariat@fedevaco.example")
    assert world.org_a.name in browser_client.get("/associations").text
    page = f"/associations/{world.org_a.id}"
    sent = send_form(
        browser_client,
        page,
        f"{page}/invitations",
        {"full_name": "Aïcha Benali", "email": "Aicha@Tafraout.example", "language": "fr"},
    )
    assert sent.status_code == 303, sent.text
    assert "Aïcha Benali" in browser_client.get(page).text
    [(to, subject, body)] = inbox.messages
    assert to == ["aicha@tafraout.example"] and subject == "Votre invitation sur fundflow"
    found = LINK.search(body)
    assert found
    invited = session.exec(select(User).where(User.email == "aicha@tafraout.example")).one()
    assert invited.organisation_id == world.org_a.id and [str(r) for r in invited.roles] == [
        "applicant"
    ]
    events = session.exec(select(Event).where(Event.action == "invite_member")).all()
    assert [e.entity_id for e in events] == [world.org_a.id]

    browser_client.cookies.clear()
    link = f"/mot-de-passe/nouveau?jeton={found.group(1)}"
    chosen = send_form(
        browser_client,
        link,
        "/mot-de-passe/nouveau",
        {
            "token": found.group(1),
            "password": "un-puits-pour-tous",
            "confirmation": "un-puits-pour-tous",
        },
    )
    assert chosen.status_code == 303, chosen.text
    sign_in(browser_client, "aicha@tafraout.example", "un-puits-pour-tous")
    assert draft.title in browser_client.get("/").text
    assert browser_client.get(f"/propositions/{draft.id}/projet").status_code == 200


def test_an_address_with_an_account_is_not_invited_twice(
    browser_client: TestClient, world: World, inbox: Inbox
):
    sign_in(browser_client, "secretariat@fedevaco.example")
    page = f"/associations/{world.org_a.id}"
    answer = send_form(
        browser_client,
        page,
        f"{page}/invitations",
        {"full_name": "Youssef", "email": "youssef@tafraout.example", "language": "fr"},
    )
    assert answer.status_code == 400 and "Cette adresse a déjà un compte." in answer.text
    bad = send_form(
        browser_client, page, f"{page}/invitations", {"full_name": "", "email": "pas-une-adresse"}
    )
    assert bad.status_code == 400 and 'href="#full_name"' in bad.text
    assert inbox.messages == []


def test_only_the_secretariat_invites(browser_client: TestClient, world: World, session: Session):
    for email in (
        "youssef@tafraout.example",
        "expert@fedevaco.example",
        "beat@ddc.example",
    ):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/associations").status_code == 403
        assert browser_client.get(f"/associations/{world.org_a.id}").status_code == 403
        token = csrf_token(browser_client.get("/").text)
        answer = browser_client.post(
            f"/associations/{world.org_a.id}/invitations",
            data={"csrftoken": token, "full_name": "Intrus", "email": "intrus@example.org"},
        )
        assert answer.status_code == 403
    assert session.exec(select(User).where(User.email == "intrus@example.org")).first() is None
