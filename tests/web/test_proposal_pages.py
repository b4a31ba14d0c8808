"""An association's proposal on the pages: started from a call, written section by section,
checked against the call's rules in French, submitted with its declaration, revised."""

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.core.audit import Event
from fundflow.organisations.models import Partner
from fundflow.proposals.models import Proposal, ProposalStatus
from tests.builders import World, proposal_payload
from tests.mail import Inbox
from tests.web.pages import csrf_token, send_form, sign_in

ASSOCIATION_A = "youssef@tafraout.example"
ASSOCIATION_B = "fatou@teranga.example"


def start(client: TestClient, world: World, title: str = "Eau potable à Tafraout") -> int:
    answer = send_form(
        client,
        f"/appels/{world.call.id}",
        f"/appels/{world.call.id}/propositions",
        {"title": title},
    )
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])


def save(client: TestClient, path: str, fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Send the section's form as shown (its version included) with ``fields``."""
    shown = client.get(path)
    assert shown.status_code == 200, shown.text
    version = re.search(r'name="version" value="(\d+)"', shown.text)
    assert version
    data = {"csrftoken": csrf_token(shown.text), "version": version.group(1), **fields}
    return client.post(path, data=data)


def fill_in(client: TestClient, world: World, proposal_id: int) -> None:
    """Every section, as an association would, from the complete test payload."""
    full = proposal_payload(world.call, world.partner_a)
    base = f"/propositions/{proposal_id}"
    project = {
        name: full[name]
        for name in ("title", "summary", "country", "locality", "start_date", "end_date")
    } | {"priorities": "water"}
    assert save(client, f"{base}/projet", project).status_code == 303
    assert save(client, f"{base}/partenaire", {"partner_id": world.partner_a.id}).status_code == 303
    budget = {
        f"budget_lines-{i}-{key}": value
        for i, line in enumerate(full["budget_lines"])
        for key, value in line.items()
    }
    assert save(client, f"{base}/budget", budget).status_code == 303
    financing = {
        f"financing_lines-{i}-{key}": value
        for i, line in enumerate(full["financing_lines"])
        for key, value in line.items()
    } | {"other_funding_requests_declared": "yes"}
    assert save(client, f"{base}/financement", financing).status_code == 303
    logframe = {
        "logframe-goal": "Eau saine à Tafraout",
        "logframe-outcomes-0-statement": "Les ménages boivent l'eau du robinet",
        "logframe-outcomes-0-indicators-0-name": "Ménages raccordés",
        "logframe-outcomes-0-indicators-0-baseline": "0",
        "logframe-outcomes-0-indicators-0-target": "350",
        "logframe-outcomes-0-outputs-0-statement": "Réseau construit",
    }
    assert save(client, f"{base}/cadre-logique", logframe).status_code == 303


def test_a_proposal_is_written_section_by_section_and_submitted(
    browser_client: TestClient, world: World, session: Session, inbox: Inbox
):
    sign_in(browser_client, ASSOCIATION_A)
    call_page = browser_client.get(f"/appels/{world.call.id}").text
    assert "Les règles, en clair" in call_page
    proposal_id = start(browser_client, world)

    tasks = browser_client.get(f"/propositions/{proposal_id}").text
    assert "À faire" in tasks and "Facultatif" in tasks
    # The rules not met yet, in French, each leading to the section that fixes it.
    assert (
        f'<a href="/propositions/{proposal_id}/partenaire">Indiquez l’organisation partenaire'
        in tasks
    )
    assert f'<a href="/propositions/{proposal_id}/budget">Il manque encore : le budget.' in tasks

    fill_in(browser_client, world, proposal_id)
    tasks = browser_client.get(f"/propositions/{proposal_id}").text
    assert "Avant de pouvoir déposer" in tasks and "respecte toutes les règles" in tasks
    assert tasks.count("Terminé") == 5

    check = browser_client.get(f"/propositions/{proposal_id}/verifier").text
    assert "Ménages raccordés" in check and "60&#39;000,00\xa0CHF" in check

    refused = send_form(
        browser_client,
        f"/propositions/{proposal_id}/verifier",
        f"/propositions/{proposal_id}/soumission",
        {"version": str(session.get(Proposal, proposal_id).version)},  # type: ignore[union-attr]
    )
    assert refused.status_code == 400 and "Erreur :" in refused.text
    assert session.get(Proposal, proposal_id).status == ProposalStatus.DRAFT  # type: ignore[union-attr]

    session.expire_all()
    version = session.get(Proposal, proposal_id).version  # type: ignore[union-attr]
    submitted = send_form(
        browser_client,
        f"/propositions/{proposal_id}/verifier",
        f"/propositions/{proposal_id}/soumission",
        {"declaration": "oui", "version": str(version)},
    )
    assert submitted.status_code == 303, submitted.text
    session.expire_all()
    assert session.get(Proposal, proposal_id).status == ProposalStatus.SUBMITTED  # type: ignore[union-attr]
    confirmation = browser_client.get(submitted.headers["location"]).text
    reference = re.search(r'class="reference">([^<]+)<', confirmation)
    assert reference
    [(to, subject, body)] = inbox.messages
    assert to == [ASSOCIATION_A] and reference.group(1) in subject and reference.group(1) in body
    assert "a été déposée" in body
    printed = browser_client.get(f"/propositions/{proposal_id}/impression").text
    assert reference.group(1) in printed and "Réseau construit" in printed
    # Submitted: the sections can no longer be changed from the pages.
    locked = browser_client.get(f"/propositions/{proposal_id}/budget").text
    assert "ne peut plus être modifiée" in locked and 'name="budget_lines-0-amount"' not in locked


def test_rows_are_added_and_removed_without_javascript_and_nothing_is_saved_until_save(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    path = f"/propositions/{proposal_id}/budget"
    typed = {
        "budget_lines-0-category": "staff",
        "budget_lines-0-description": "Coordinatrice",
        "budget_lines-0-amount": "1200.50",
    }
    added = save(browser_client, path, typed | {"_add": "budget_lines"})
    assert added.status_code == 200
    assert 'value="Coordinatrice"' in added.text and 'id="budget_lines-1-description"' in added.text
    removed = save(browser_client, path, typed | {"_remove": "budget_lines-0"})
    assert "Coordinatrice" not in removed.text
    session.expire_all()
    assert session.get(Proposal, proposal_id).budget_lines == []  # type: ignore[union-attr]


def test_a_wrong_answer_keeps_what_was_typed_and_changes_nothing(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    answer = save(
        browser_client,
        f"/propositions/{proposal_id}/projet",
        {
            "title": "Eau potable à Tafraout",
            "summary": "Un résumé qui ne doit pas être perdu.",
            "start_date": "2027-05-01",
            "end_date": "2027-01-01",
        },
    )
    assert answer.status_code == 400
    assert "<title>Erreur :" in answer.text
    assert '<a href="#end_date">La date de fin doit venir après la date de début.' in answer.text
    assert "Un résumé qui ne doit pas être perdu." in answer.text
    session.expire_all()
    assert session.get(Proposal, proposal_id).summary is None  # type: ignore[union-attr]

    amount = save(
        browser_client,
        f"/propositions/{proposal_id}/budget",
        {
            "budget_lines-0-category": "staff",
            "budget_lines-0-description": "Coordinatrice",
            "budget_lines-0-amount": "mille",
        },
    )
    assert amount.status_code == 400
    assert 'href="#budget_lines-0-amount"' in amount.text and 'value="mille"' in amount.text


def test_two_members_saving_at_once_lose_nothing(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    path = f"/propositions/{proposal_id}/projet"
    stale = browser_client.get(path).text
    assert save(browser_client, path, {"title": "Eau potable", "summary": "Le texte de Karim"})
    answer = browser_client.post(
        path,
        data={
            "csrftoken": csrf_token(stale),
            "version": re.search(r'name="version" value="(\d+)"', stale).group(1),  # type: ignore[union-attr]
            "title": "Eau potable",
            "summary": "Le texte de Youssef",
        },
    )
    assert answer.status_code == 400
    assert "Quelqu’un d’autre a enregistré" in answer.text
    assert "Le texte de Youssef" in answer.text and "Le texte de Karim" in answer.text
    session.expire_all()
    assert session.get(Proposal, proposal_id).summary == "Le texte de Karim"  # type: ignore[union-attr]
    # Saving again from this page keeps Youssef's text: he has seen Karim's.
    again = save(browser_client, path, {"title": "Eau potable", "summary": "Le texte de Youssef"})
    assert again.status_code == 303


def test_autosave_answers_the_script_with_the_new_version(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    path = f"/propositions/{proposal_id}/projet"
    shown = browser_client.get(path).text
    token = csrf_token(shown)
    version = re.search(r'name="version" value="(\d+)"', shown).group(1)  # type: ignore[union-attr]
    fields = {"csrftoken": token, "title": "Eau potable", "summary": "Brouillon"}
    saved = browser_client.post(
        path, data=fields | {"version": version}, headers={"fundflow-autosave": "1"}
    )
    assert saved.status_code == 200 and saved.json()["saved"] is True
    assert saved.json()["version"] == int(version) + 1
    conflict = browser_client.post(
        path, data=fields | {"version": version}, headers={"fundflow-autosave": "1"}
    )
    assert conflict.status_code == 409 and conflict.json() == {"saved": False, "conflict": True}


def test_a_new_partner_is_created_from_the_partner_section(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    path = f"/propositions/{proposal_id}/partenaire"
    missing = save(browser_client, path, {"partner_id": "new", "new_partner-country": "MA"})
    assert missing.status_code == 400 and 'href="#new_partner-name"' in missing.text
    created = save(
        browser_client,
        path,
        {
            "partner_id": "new",
            "new_partner-name": "Association Tiwizi",
            "new_partner-country": "MA",
        },
    )
    assert created.status_code == 303
    session.expire_all()
    proposal = session.get(Proposal, proposal_id)
    assert proposal is not None and proposal.partner_id is not None
    partner = session.get(Partner, proposal.partner_id)
    assert partner is not None and partner.name == "Association Tiwizi"
    assert partner.organisation_id == world.org_a.id


def test_a_revision_request_shows_the_comment_and_resubmits_in_one_click(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal(status=ProposalStatus.REVISION_REQUESTED)  # type: ignore[arg-type]
    sign_in(browser_client, ASSOCIATION_A)
    tasks = browser_client.get(f"/propositions/{proposal.id}").text
    assert "Please complete the budget notes." in tasks
    assert "Déposer à nouveau la demande révisée" in tasks
    again = send_form(
        browser_client,
        f"/propositions/{proposal.id}",
        f"/propositions/{proposal.id}/soumission",
        {"declaration": "oui", "version": str(proposal.version)},
    )
    assert again.status_code == 303
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.SUBMITTED  # type: ignore[union-attr]
    events = session.exec(
        select(Event.action).where(Event.entity_type == "proposal", Event.entity_id == proposal.id)
    ).all()
    assert events.count("submit") == 2


def test_attachments_are_listed_and_removed(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, ASSOCIATION_A)
    proposal_id = start(browser_client, world)
    page = browser_client.get(f"/propositions/{proposal_id}/documents")
    assert "au plus 10 Mo" in page.text.replace("\u00a0", " ")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    added = browser_client.post(
        f"/propositions/{proposal_id}/documents",
        data={"csrftoken": csrf_token(page.text)},
        files={"file": ("statuts.pdf", pdf, "application/pdf")},
    )
    assert added.status_code == 303, added.text
    listed = browser_client.get(f"/propositions/{proposal_id}/documents").text
    assert "statuts.pdf" in listed
    document_id = re.search(r'href="/documents/(\d+)"', listed).group(1)  # type: ignore[union-attr]
    assert browser_client.get(f"/documents/{document_id}").content == pdf
    wrong = browser_client.post(
        f"/propositions/{proposal_id}/documents",
        data={"csrftoken": csrf_token(listed)},
        files={"file": ("photo.pdf", b"GIF89a....", "application/pdf")},
    )
    assert wrong.status_code == 400 and "Ce fichier ne peut pas être ajouté" in wrong.text
    removed = send_form(
        browser_client,
        f"/propositions/{proposal_id}/documents",
        f"/propositions/{proposal_id}/documents/{document_id}/suppression",
        {},
    )
    assert removed.status_code == 303
    assert "statuts.pdf" not in browser_client.get(f"/propositions/{proposal_id}/documents").text


def test_another_association_and_other_roles_cannot_reach_a_draft(
    browser_client: TestClient, world: World
):
    proposal = world.proposal()
    paths = [
        f"/propositions/{proposal.id}",
        f"/propositions/{proposal.id}/projet",
        f"/propositions/{proposal.id}/verifier",
        f"/propositions/{proposal.id}/impression",
    ]
    for email in (ASSOCIATION_B, "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        for path in paths:
            assert browser_client.get(path).status_code == 404, (email, path)
    browser_client.cookies.clear()
    for path in paths:
        answer = browser_client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion")


def test_another_association_cannot_change_or_submit_a_proposal(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal()
    sign_in(browser_client, ASSOCIATION_B)
    token = csrf_token(browser_client.get("/").text)
    for path, fields in (
        (f"/propositions/{proposal.id}/projet", {"title": "Pris", "version": "0"}),
        (f"/propositions/{proposal.id}/soumission", {"declaration": "oui", "version": "0"}),
        (f"/propositions/{proposal.id}/documents/1/suppression", {}),
    ):
        answer = browser_client.post(path, data={"csrftoken": token, **fields})
        assert answer.status_code == 404, (path, answer.text)
    session.expire_all()
    assert session.get(Proposal, proposal.id).title != "Pris"  # type: ignore[union-attr]


def test_the_secretariat_reads_a_submitted_proposal_but_does_not_edit_it(
    browser_client: TestClient, world: World
):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)  # type: ignore[arg-type]
    sign_in(browser_client, "secretariat@fedevaco.example")
    assert browser_client.get(f"/propositions/{proposal.id}/impression").status_code == 200
    section = browser_client.get(f"/propositions/{proposal.id}/projet")
    assert section.status_code == 200 and "ne peut plus être modifiée" in section.text
    refused = browser_client.post(
        f"/propositions/{proposal.id}/projet",
        data={"csrftoken": csrf_token(section.text), "title": "Changé", "version": "1"},
    )
    assert refused.status_code == 403


def test_a_commission_member_or_authority_cannot_start_a_proposal(
    browser_client: TestClient, world: World
):
    for email in ("expert@fedevaco.example", "beat@ddc.example", "secretariat@fedevaco.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        page = browser_client.get(f"/appels/{world.call.id}")
        assert page.status_code == 200 and "Commencer la demande" not in page.text
        answer = browser_client.post(
            f"/appels/{world.call.id}/propositions",
            data={"csrftoken": csrf_token(page.text), "title": "Une demande"},
        )
        assert answer.status_code == 403
