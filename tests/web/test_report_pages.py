"""A funded project on the pages: its tranches, payments and reports; a report written from
the form pre-filled with the logframe and the budget, a document attached, submitted; the
secretariat's requested changes shown; nobody else's project reachable."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from fundflow.accounts.service import actor_of
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.monitoring.models import Document, Report, ReportStatus
from fundflow.monitoring.workflow import REPORT_MACHINE
from fundflow.projects.models import Project
from tests.builders import World
from tests.web.pages import csrf_token, send_form, sign_in

ASSOCIATION_A = "youssef@tafraout.example"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def first_report(session: Session, project: Project) -> Report:
    report = session.exec(
        select(Report).where(Report.project_id == project.id).order_by(col(Report.due_on))
    ).first()
    assert report is not None
    return report


def report_fields(page: str) -> dict[str, str]:
    """The report form's hidden fields as shown (indicator ids, categories, version)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def test_the_home_page_says_what_comes_next_and_the_project_shows_its_money(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    sign_in(browser_client, ASSOCIATION_A)
    home = browser_client.get("/").text
    assert "Prochaine étape : un rapport est à rendre le" in home
    page = browser_client.get(f"/projets/{project.id}").text
    assert "Rapport intermédiaire" in page and "Tranches" in page
    assert "À la signature de la convention" in page
    assert "Aucun versement pour l’instant." in page


def test_a_report_is_written_saved_and_submitted_with_a_document(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = first_report(session, project)
    sign_in(browser_client, ASSOCIATION_A)
    path = f"/rapports/{report.id}"
    page = browser_client.get(path).text
    # Pre-filled from the logframe and the budget.
    assert "Households with tap water" in page and "Metres of pipe laid" in page
    assert "Investissement (prévu : 60&#39;000,00\xa0CHF)" in page
    hidden = report_fields(page)

    incomplete = browser_client.post(
        path,
        data=hidden | {"narrative": "Le réseau est posé.", "_submit": "1"},
    )
    assert incomplete.status_code == 400
    assert 'href="#own_funds_spent"' in incomplete.text
    assert 'href="#indicator_values-0-value"' in incomplete.text
    session.expire_all()
    # What was typed is saved even though the report could not be submitted yet.
    assert session.get(Report, report.id).narrative == "Le réseau est posé."  # type: ignore[union-attr]
    assert session.get(Report, report.id).status == ReportStatus.SCHEDULED  # type: ignore[union-attr]

    page = browser_client.get(path).text
    attached = browser_client.post(
        f"{path}/documents",
        data={"csrftoken": csrf_token(page)},
        files={"file": ("decompte.pdf", PDF, "application/pdf")},
    )
    assert attached.status_code == 303
    page = browser_client.get(path).text
    assert "decompte.pdf" in page
    hidden = report_fields(page)
    values = {
        "indicator_values-0-value": "120",
        "indicator_values-1-comment": "Mesuré au prochain rapport",
        "expenses-0-amount": "15000.00",
        "own_funds_spent": "0",
        "narrative": "Le réseau est posé.",
    }
    submitted = browser_client.post(path, data=hidden | values | {"_submit": "1"})
    assert submitted.status_code == 303, submitted.text
    session.expire_all()
    saved = session.get(Report, report.id)
    assert saved is not None and saved.status == ReportStatus.SUBMITTED
    documents = session.exec(select(Document).where(Document.report_id == report.id)).all()
    assert [d.filename for d in documents] == ["decompte.pdf"]
    # Submitted: no form any more, and the document stays.
    after = browser_client.get(path).text
    assert 'name="narrative"' not in after and "Retirer decompte.pdf" not in after


def test_changes_requested_are_shown_on_the_report(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = world.complete_report(project)
    applicant, secretariat = actor_of(world.applicant_a), actor_of(world.secretariat)
    for actor, roles, action, comment in (
        (applicant, {Role.APPLICANT}, "submit", None),
        (secretariat, {Role.SECRETARIAT}, "request_changes", "Joignez le décompte signé."),
    ):
        perform_transition(
            session,
            machine=REPORT_MACHINE,
            entity=report,
            actor=actor,
            acting_roles=roles,
            action=action,
            comment=comment,
        )
    session.commit()
    sign_in(browser_client, ASSOCIATION_A)
    page = browser_client.get(f"/rapports/{report.id}").text
    assert "Le secrétariat demande des corrections" in page
    assert "Joignez le décompte signé." in page and 'name="narrative"' in page


def test_another_association_reaches_neither_the_project_nor_its_reports(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = first_report(session, project)
    sign_in(browser_client, "fatou@teranga.example")
    assert browser_client.get(f"/projets/{project.id}").status_code == 404
    assert browser_client.get(f"/rapports/{report.id}").status_code == 404
    token = csrf_token(browser_client.get("/").text)
    answer = browser_client.post(
        f"/rapports/{report.id}", data={"csrftoken": token, "narrative": "Pris", "version": "0"}
    )
    assert answer.status_code == 404
    session.expire_all()
    assert session.get(Report, report.id).narrative is None  # type: ignore[union-attr]


def test_the_secretariat_and_the_funder_read_the_project_but_write_no_report(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = first_report(session, project)
    for email in ("secretariat@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get(f"/projets/{project.id}").status_code == 200
        page = browser_client.get(f"/rapports/{report.id}")
        assert page.status_code == 200 and 'name="narrative"' not in page.text
        refused = send_form(
            browser_client,
            f"/rapports/{report.id}",
            f"/rapports/{report.id}",
            {"narrative": "Écrit par un autre", "version": "0"},
        )
        assert refused.status_code == 403


def test_nobody_signed_in_is_sent_to_sign_in_from_every_portal_page(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = first_report(session, project)
    proposal_id = project.proposal_id
    for path in (
        f"/appels/{world.call.id}",
        f"/propositions/{proposal_id}",
        f"/propositions/{proposal_id}/budget",
        f"/propositions/{proposal_id}/verifier",
        f"/propositions/{proposal_id}/impression",
        f"/propositions/{proposal_id}/confirmation",
        f"/projets/{project.id}",
        f"/rapports/{report.id}",
        "/associations",
        f"/associations/{world.org_a.id}",
        "/documents/1",
    ):
        answer = browser_client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/connexion?next=")


def test_the_admin_invites_members_but_reads_no_association_s_project(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    sign_in(browser_client, "admin@fundflow.example")
    # Administering accounts is not reading the funding: projects stay the secretariat's.
    assert browser_client.get(f"/projets/{project.id}").status_code == 404
    assert browser_client.get("/associations").status_code == 200
