"""Coaching on the pages: the association asks for advice, the secretariat comments for
it and internally, the association reads only what is meant for it — on the task list and
on the section concerned — answers, and the comment is resolved."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.proposals.coaching.models import ProposalComment
from tests.builders import World
from tests.mail import Inbox
from tests.web.pages import csrf_token, send_form, sign_in

ASSOCIATION = "youssef@tafraout.example"
SECRETARIAT = "secretariat@fedevaco.example"


def test_a_draft_is_coached_and_internal_notes_never_reach_the_association(
    browser_client: TestClient, world: World, session: Session, inbox: Inbox
):
    proposal = world.proposal(title="Puits de Tafraout")
    tasks = f"/propositions/{proposal.id}"
    sign_in(browser_client, ASSOCIATION)
    shared = send_form(browser_client, tasks, f"{tasks}/conseil", {})
    assert shared.status_code == 303
    assert "Partagée avec le secrétariat pour conseil" in browser_client.get(tasks).text

    browser_client.cookies.clear()
    sign_in(browser_client, SECRETARIAT)
    assert "Puits de Tafraout" in browser_client.get("/").text
    for section, visibility, body in (
        ("budget", "association", "Détaillez le coût des tuyaux."),
        ("budget", "internal", "Devis probablement gonflé."),
    ):
        written = send_form(
            browser_client,
            tasks,
            f"{tasks}/commentaires",
            {"section": section, "visibility": visibility, "body": body},
        )
        assert written.status_code == 303
    page = browser_client.get(tasks).text
    assert "Devis probablement gonflé." in page and "Interne : jamais montré" in page
    [(to, subject, body)] = inbox.messages
    assert to == [ASSOCIATION] and "Puits de Tafraout" in subject and "tuyaux" in body

    browser_client.cookies.clear()
    sign_in(browser_client, ASSOCIATION)
    page = browser_client.get(tasks).text
    assert "Détaillez le coût des tuyaux." in page and "gonflé" not in page
    budget = browser_client.get(f"{tasks}/budget").text
    assert "Les commentaires du secrétariat sur cette étape" in budget and "tuyaux" in budget
    assert "gonflé" not in budget
    advice = session.exec(
        select(ProposalComment).where(ProposalComment.visibility == "association")
    ).one()
    answered = send_form(
        browser_client,
        tasks,
        f"{tasks}/commentaires",
        {"parent_id": str(advice.id), "body": "Voici le devis détaillé."},
    )
    assert answered.status_code == 303
    resolved = send_form(
        browser_client,
        tasks,
        f"{tasks}/commentaires/{advice.id}/resolution",
        {"resolved": "1"},
    )
    assert resolved.status_code == 303
    page = browser_client.get(tasks).text
    assert "Voici le devis détaillé." in page and "Réglé" in page
    # The internal note cannot be answered or resolved by guessing its number.
    internal = session.exec(
        select(ProposalComment).where(ProposalComment.visibility == "internal")
    ).one()
    for path, fields in (
        (f"{tasks}/commentaires", {"parent_id": str(internal.id), "body": "?"}),
        (f"{tasks}/commentaires/{internal.id}/resolution", {"resolved": "1"}),
    ):
        assert send_form(browser_client, tasks, path, fields).status_code == 404
    session.expire_all()
    assert session.get(ProposalComment, internal.id).resolved_at is None  # type: ignore[union-attr]
    assert len(re.findall("Voici le devis", page)) == 1


def test_other_people_take_no_part(browser_client: TestClient, world: World, session: Session):
    proposal = world.proposal()
    tasks = f"/propositions/{proposal.id}"
    for email in ("fatou@teranga.example", "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        token = csrf_token(browser_client.get("/").text)
        for path in (f"{tasks}/conseil", f"{tasks}/commentaires"):
            answer = browser_client.post(path, data={"csrftoken": token, "body": "Intrus"})
            assert answer.status_code == 404, (email, path)
    assert session.exec(select(ProposalComment)).all() == []
