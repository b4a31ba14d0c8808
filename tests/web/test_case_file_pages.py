"""The secretariat's case file: the timeline in words, the actions the transition table
allows now, each a form from its payload schema, taken through the same engine."""

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.models import SimilarityVerdict
from tests.builders import World
from tests.proposals.similarity.corpus import WATER, WATER_RETITLED
from tests.web.pages import send_form, sign_in

SECRETARIAT = "secretariat@fedevaco.example"


def test_the_secretariat_returns_a_proposal_for_revision_from_its_case_file(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)  # type: ignore[arg-type]
    path = f"/dossiers/{proposal.id}"
    sign_in(browser_client, SECRETARIAT)
    page = browser_client.get(path).text
    assert "Historique" in page and "Demande commencée" in page and "Déposée" in page
    for action in ("Renvoyer pour révision", "Accepter pour évaluation", "Déclarer non recevable"):
        assert f">{action}</button>" in page
    assert "Décider" not in page  # not from `submitted`

    refused = send_form(
        browser_client, path, f"{path}/actions", {"action": "return_for_revision", "comment": ""}
    )
    assert refused.status_code == 400
    assert 'href="#return_for_revision-comment"' in refused.text
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUBMITTED  # type: ignore[union-attr]

    returned = send_form(
        browser_client,
        path,
        f"{path}/actions",
        {"action": "return_for_revision", "comment": "Joignez les statuts."},
    )
    assert returned.status_code == 303
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.REVISION_REQUESTED  # type: ignore[union-attr]
    page = browser_client.get(path).text
    assert "Renvoyée pour révision" in page and "Joignez les statuts." in page


def test_a_decision_form_comes_from_the_payload_schema(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.reviewed()
    path = f"/dossiers/{proposal.id}"
    sign_in(browser_client, SECRETARIAT)
    page = browser_client.get(path).text
    for label in ("Montant accordé", "Conditions (une par ligne)", "Motivation"):
        assert label in page
    assert '<option value="approved_with_conditions">Acceptée avec conditions</option>' in page
    missing = send_form(
        browser_client, path, f"{path}/actions", {"action": "decide", "outcome": "approved"}
    )
    assert missing.status_code == 400 and 'href="#decide-rationale"' in missing.text
    decided = send_form(
        browser_client,
        path,
        f"{path}/actions",
        {
            "action": "decide",
            "outcome": "approved_with_conditions",
            "granted_amount": "30000.00",
            "conditions": "Convention de partenariat signée\nBudget révisé",
            "rationale": "Projet pertinent, partenaire solide.",
        },
    )
    assert decided.status_code == 303, decided.text
    session.expire_all()
    assert (
        session.get(Proposal, proposal.id).status == ProposalStatus.APPROVED_WITH_CONDITIONS  # type: ignore[union-attr]
    )


def test_the_case_files_are_the_secretariat_s(browser_client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)  # type: ignore[arg-type]
    for email in ("youssef@tafraout.example", "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get(f"/dossiers/{proposal.id}").status_code == 403, email
    browser_client.cookies.clear()
    assert browser_client.get(f"/dossiers/{proposal.id}").status_code == 303


def test_the_screening_queue_lists_submitted_proposals_with_their_findings(
    browser_client: TestClient, world: World
):
    waiting = world.proposal(status=ProposalStatus.SUBMITTED, title="Puits déposé")  # type: ignore[arg-type]
    draft = world.proposal(title="Brouillon privé")
    sign_in(browser_client, SECRETARIAT)
    page = browser_client.get("/depot").text
    assert f'<a href="/dossiers/{waiting.id}">Puits déposé</a>' in page
    assert draft.title not in page
    assert "Déclaré" in page  # the test proposal declares another funder
    for email in ("youssef@tafraout.example", "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/depot").status_code == 403


def test_an_action_taken_meanwhile_is_said_on_the_case_file(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)  # type: ignore[arg-type]
    path = f"/dossiers/{proposal.id}"
    sign_in(browser_client, SECRETARIAT)
    stale = send_form(
        browser_client,
        path,
        f"{path}/actions",
        {"action": "accept_for_review", "version": str((proposal.version or 0) - 1)},
    )
    assert stale.status_code == 400
    assert "Quelqu’un a agi entre-temps" in stale.text
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUBMITTED  # type: ignore[union-attr]


def test_a_similar_request_is_weighed_from_the_case_file(
    browser_client: TestClient, world: World, session: Session
):
    first = world.decided("rejected", content=WATER, rationale="Budget trop vague.")
    again = world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    sign_in(browser_client, SECRETARIAT)
    queue = browser_client.get("/depot").text
    assert "1 forte(s)" in queue
    page = f"/dossiers/{again.id}"
    shown = browser_client.get(page).text
    assert "Forte ressemblance" in shown and f'href="/dossiers/{first.id}"' in shown
    weigh = f"{page}/similaires/{first.id}"
    silent = send_form(browser_client, page, weigh, {"verdict": "different_project"})
    assert silent.status_code == 400 and f'href="#verdict-{first.id}-comment"' in silent.text
    assert session.exec(select(func.count()).select_from(SimilarityVerdict)).one() == 0
    weighed = send_form(
        browser_client,
        page,
        weigh,
        {"verdict": "different_project", "comment": "Autre village, autre puits."},
    )
    assert weighed.status_code == 303
    after = browser_client.get(page).text
    assert "Avis : Un autre projet – Autre village, autre puits." in after
    assert "Aucune à examiner" in browser_client.get("/depot").text
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    refused = send_form(browser_client, "/", weigh, {"verdict": "same_project", "comment": "x"})
    assert refused.status_code == 403
    assert session.exec(select(func.count()).select_from(SimilarityVerdict)).one() == 1
