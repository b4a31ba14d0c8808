"""Award rounds on the pages: a nomination written and submitted, the nominee's answer
through the e-mailed link, the decision form of a round, the laureates and certificates."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.core.config import Settings
from fundflow.lifecycle.nominations import plan_notices
from fundflow.proposals.models import NomineeResponse, Proposal, ProposalStatus
from tests.awards.builders import CITATION, announced_round, nominate, nomination, open_round
from tests.builders import World
from tests.web.pages import send_form, sign_in
from tests.web.test_proposal_pages import save

ASSOCIATION_A = "youssef@tafraout.example"


def test_a_nomination_is_written_and_submitted_on_the_pages(
    browser_client: TestClient, world: World, session: Session
):
    call = open_round(browser_client, world)
    sign_in(browser_client, ASSOCIATION_A)
    page = browser_client.get(f"/appels/{call['id']}").text
    assert "Catégories" in page and "Employeur intégrant" in page
    assert "Proposer une organisation" in page and "Les règles, en clair" not in page
    started = send_form(
        browser_client,
        f"/appels/{call['id']}",
        f"/appels/{call['id']}/propositions",
        {"title": "Des apprentissages pour réfugiés"},
    )
    assert started.status_code == 303
    base = started.headers["location"]
    tasks = browser_client.get(base).text
    assert f'href="{base}/candidature"' in tasks and f'href="{base}/budget"' not in tasks
    assert browser_client.get(f"{base}/budget").status_code == 404

    fields = {
        "title": "Des apprentissages pour réfugiés",
        "nomination-category": "employer",
        "nomination-self_nomination": "no",
        "nomination-nominee_name": "Menuiserie Rochat SA",
        "nomination-nominee_kind": "employer",
        "nomination-nominee_email": "pas une adresse",
        "summary": "Quatre apprentis réfugiés formés chaque année depuis 2022.",
        "country": "CH",
        "locality": "Yverdon-les-Bains",
    }
    refused = save(browser_client, f"{base}/candidature", fields)
    assert refused.status_code == 400 and "Erreur :" in refused.text
    proposal_id = int(base.rsplit("/", 1)[1])
    session.expire_all()
    assert session.get(Proposal, proposal_id).nominee_name is None  # type: ignore[union-attr]

    fields["nomination-nominee_email"] = "direction@rochat.example"
    assert save(browser_client, f"{base}/candidature", fields).status_code == 303
    tasks = browser_client.get(base).text
    assert "respecte toutes les règles" in tasks
    check = browser_client.get(f"{base}/verifier").text
    assert "Menuiserie Rochat SA" in check and "Employeur intégrant" in check
    assert "Plan de financement" not in check
    session.expire_all()
    version = session.get(Proposal, proposal_id).version  # type: ignore[union-attr]
    submitted = send_form(
        browser_client,
        f"{base}/verifier",
        f"{base}/soumission",
        {"declaration": "oui", "version": str(version)},
    )
    assert submitted.status_code == 303, submitted.text
    session.expire_all()
    proposal = session.get(Proposal, proposal_id)
    assert proposal is not None and proposal.status == ProposalStatus.SUBMITTED
    assert proposal.nominee_response == NomineeResponse.PENDING


def test_the_nominee_answers_through_the_link_without_an_account(
    browser_client: TestClient, world: World, session: Session
):
    call = open_round(browser_client, world)
    proposal = nominate(browser_client, world, "applicant_a", nomination(call["id"]))
    [(_, message)] = plan_notices(session, Settings(public_url="https://testserver"))
    link = re.search(r"https://testserver(/distinctions/nomination\?jeton=\S+)", message.body)
    assert link
    page = browser_client.get(link.group(1))
    assert page.status_code == 200
    assert "Association Tafraout Solidarité a proposé Menuiserie Rochat SA" in page.text
    assert browser_client.get("/distinctions/nomination?jeton=" + "x" * 43).status_code == 404

    token = link.group(1).split("jeton=")[1]
    unanswered = send_form(
        browser_client, link.group(1), "/distinctions/nomination", {"jeton": token}
    )
    assert unanswered.status_code == 400 and "Indiquez si vous acceptez" in unanswered.text
    declined = send_form(
        browser_client,
        link.group(1),
        "/distinctions/nomination",
        {"jeton": token, "reponse": "declined", "commentaire": "Merci, mais non."},
    )
    assert declined.status_code == 303
    after = browser_client.get(declined.headers["location"]).text
    assert "Vous avez refusé la candidature" in after and 'name="reponse"' not in after
    session.expire_all()
    row = session.get(Proposal, proposal["id"])
    assert row is not None and row.status == ProposalStatus.WITHDRAWN


def test_a_round_s_decision_form_offers_its_outcomes_and_fields(
    browser_client: TestClient, world: World
):
    call = open_round(browser_client, world)
    proposal = nominate(browser_client, world, "applicant_a", nomination(call["id"]))
    browser_client.post(
        f"/api/v1/proposals/{proposal['id']}/transitions",
        json={"action": "accept_for_review"},
        headers=world.headers("secretariat"),
    )
    sign_in(browser_client, "secretariat@fedevaco.example")
    page = browser_client.get(f"/dossiers/{proposal['id']}").text
    assert 'name="prize_amount"' in page and 'name="citation"' in page
    assert 'name="granted_amount"' not in page and 'name="conditions"' not in page
    assert 'value="awarded"' in page and 'value="approved"' not in page
    # a funding call's form is as before
    funding = world.proposal(status=ProposalStatus.IN_REVIEW)
    page = browser_client.get(f"/dossiers/{funding.id}").text
    assert 'name="granted_amount"' in page and 'name="prize_amount"' not in page


def test_the_laureates_and_their_certificates_are_public(browser_client: TestClient, world: World):
    assert "Aucune distinction" in browser_client.get("/distinctions").text
    announced = announced_round(browser_client, world)
    page = browser_client.get("/distinctions")
    assert page.status_code == 200
    assert "Menuiserie Rochat SA" in page.text and CITATION in page.text
    assert "5&#39;000,00\xa0CHF" in page.text
    assert "Teranga Vaud" not in page.text  # not awarded: never shown
    call_id = announced["call"]["id"]
    assert f'href="/distinctions/{call_id}"' in page.text
    own_page = browser_client.get(f"/distinctions/{call_id}")
    assert own_page.status_code == 200 and "Menuiserie Rochat SA" in own_page.text
    assert "Teranga Vaud" not in own_page.text
    not_announced = open_round(browser_client, world, title="Prix 2028")
    assert browser_client.get(f"/distinctions/{not_announced['id']}").status_code == 404
    certificate = browser_client.get(f"/distinctions/laureats/{announced['laureate']}/diplome")
    assert certificate.status_code == 200
    assert (
        "Diplôme de distinction" in certificate.text and "Menuiserie Rochat SA" in certificate.text
    )
    hidden = browser_client.get(f"/distinctions/laureats/{announced['not_awarded']}/diplome")
    assert hidden.status_code == 404
    english = browser_client.get("/distinctions", headers={"Accept-Language": "en"}).text
    assert "Integrating employer" in english and "Certificate to print" in english
