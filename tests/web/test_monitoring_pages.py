"""The secretariat follows funded projects on the pages: what is due (/suivi), a payment
recorded, a report read and approved or returned, a project closed, a refund settled; a
funder's staff confirm their own funder's commitments. Refused forms change nothing."""

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from fundflow.cofinancing.models import (
    Commitment,
    CommitmentStatus,
    Disbursement,
    Tranche,
    TrancheStatus,
)
from fundflow.core.roles import Role
from fundflow.monitoring.models import Refund, RefundStatus, Report, ReportStatus
from fundflow.projects.models import ProjectStatus
from tests.builders import World, make_user
from tests.web.pages import send_form, sign_in

SECRETARIAT = "secretariat@fedevaco.example"
AUTHORITY = "beat@ddc.example"


def _due_tranche(session: Session, project_id: int) -> Tranche:
    tranche = session.exec(
        select(Tranche).where(Tranche.project_id == project_id, Tranche.status == TrancheStatus.DUE)
    ).first()
    assert tranche is not None
    return tranche


def _submitted_report(world: World, session: Session):  # type: ignore[no-untyped-def]
    project = world.signed()
    return project, world.submitted_report(project)


def test_the_follow_up_lists_what_is_due_and_a_payment_is_recorded(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    tranche = _due_tranche(session, project.id or 0)
    sign_in(browser_client, SECRETARIAT)
    follow_up = browser_client.get("/suivi").text
    assert "Tranches à verser (1)" in follow_up and project.title in follow_up
    page = f"/projets/{project.id}"
    fields = {"tranche_id": str(tranche.id), "paid_on": "2027-06-01", "reference": "VIR-2027-17"}
    paid = send_form(browser_client, page, f"{page}/paiements", fields)
    assert paid.status_code == 303 and paid.headers["location"].endswith("#paiements")
    shown = browser_client.get(page).text
    assert "VIR-2027-17" in shown
    session.expire_all()
    assert _tranche_status(session, tranche.id) == TrancheStatus.PAID
    assert "Tranches à verser (0)" in browser_client.get("/suivi").text


def _tranche_status(session: Session, tranche_id: int | None) -> TrancheStatus:
    return session.exec(select(Tranche.status).where(Tranche.id == tranche_id)).one()


def test_a_payment_without_its_reference_is_refused_on_the_form(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    tranche = _due_tranche(session, project.id or 0)
    sign_in(browser_client, SECRETARIAT)
    page = f"/projets/{project.id}"
    fields = {"tranche_id": str(tranche.id), "paid_on": "2027-06-01", "reference": ""}
    refused = send_form(browser_client, page, f"{page}/paiements", fields)
    assert refused.status_code == 400
    assert "Il y a un problème" in refused.text and 'href="#reference"' in refused.text
    paid_twice = send_form(
        browser_client,
        page,
        f"{page}/paiements",
        fields | {"tranche_id": "999999", "reference": "X"},
    )
    assert paid_twice.status_code == 400 and "999999" in paid_twice.text
    assert session.exec(select(func.count()).select_from(Disbursement)).one() == 0


def test_nobody_but_the_secretariat_records_a_payment(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    tranche = _due_tranche(session, project.id or 0)
    page = f"/projets/{project.id}"
    fields = {"tranche_id": str(tranche.id), "paid_on": "2027-06-01", "reference": "X"}
    for email, status in (("youssef@tafraout.example", 403), (AUTHORITY, 403)):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        shown = browser_client.get(page).text
        assert "Enregistrer un versement" not in shown
        answer = send_form(browser_client, page, f"{page}/paiements", fields)
        assert answer.status_code == status
    browser_client.cookies.clear()
    sign_in(browser_client, "fatou@teranga.example")
    assert browser_client.get(page).status_code == 404
    assert session.exec(select(func.count()).select_from(Disbursement)).one() == 0


def test_a_report_is_returned_with_a_comment_then_approved(
    browser_client: TestClient, world: World, session: Session
):
    project, report = _submitted_report(world, session)
    sign_in(browser_client, SECRETARIAT)
    assert "Rapports à lire (1)" in browser_client.get("/suivi").text
    page = f"/rapports/{report.id}"
    shown = browser_client.get(page).text
    assert "Travaux réalisés." in shown and "Approuver le rapport" in shown
    version = str(report.version)
    silent = send_form(
        browser_client,
        page,
        f"/actions/rapports/{report.id}",
        {"action": "request_changes", "version": version, "comment": ""},
    )
    assert silent.status_code == 400 and 'href="#request_changes-comment"' in silent.text
    session.expire_all()
    assert session.get(Report, report.id).status == ReportStatus.SUBMITTED  # type: ignore[union-attr]
    returned = send_form(
        browser_client,
        page,
        f"/actions/rapports/{report.id}",
        {"action": "request_changes", "version": version, "comment": "Joignez les factures."},
    )
    assert returned.status_code == 303
    session.expire_all()
    assert session.get(Report, report.id).status == ReportStatus.CHANGES_REQUESTED  # type: ignore[union-attr]
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    assert "Joignez les factures." in browser_client.get(page).text


def test_a_report_approved_from_its_page(
    browser_client: TestClient, world: World, session: Session
):
    _, report = _submitted_report(world, session)
    sign_in(browser_client, SECRETARIAT)
    page = f"/rapports/{report.id}"
    approved = send_form(
        browser_client,
        page,
        f"/actions/rapports/{report.id}",
        {"action": "approve", "version": str(report.version)},
    )
    assert approved.status_code == 303 and "fait=approve" in approved.headers["location"]
    session.expire_all()
    assert session.get(Report, report.id).status == ReportStatus.APPROVED  # type: ignore[union-attr]
    # The association cannot approve its own report, even by sending the form.
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    _, other = _submitted_report(world, session)
    refused = send_form(
        browser_client,
        f"/rapports/{other.id}",
        f"/actions/rapports/{other.id}",
        {"action": "approve", "version": str(other.version)},
    )
    assert refused.status_code in (400, 403)
    session.expire_all()
    assert session.get(Report, other.id).status == ReportStatus.SUBMITTED  # type: ignore[union-attr]


def test_an_authority_confirms_its_own_funders_commitment_only(
    browser_client: TestClient, world: World, session: Session
):
    project = world.project()
    mine = world.commit(project, world.envelope, "20000.00", confirm=False)
    other_envelope = world.envelope_of("Commune de Lausanne")
    theirs = world.commit(project, other_envelope, "15000.00", confirm=False)
    sign_in(browser_client, AUTHORITY)
    page = f"/projets/{project.id}"
    shown = browser_client.get(page).text
    assert "Confirmer l’engagement" in shown and "Commune de Lausanne" not in shown
    confirmed = send_form(
        browser_client,
        page,
        f"/actions/engagements/{mine.id}",
        {"action": "confirm", "version": str(mine.version)},
    )
    assert confirmed.status_code == 303
    hidden = send_form(
        browser_client,
        page,
        f"/actions/engagements/{theirs.id}",
        {"action": "confirm", "version": str(theirs.version)},
    )
    assert hidden.status_code == 404
    session.expire_all()
    assert session.get(Commitment, mine.id).status == CommitmentStatus.CONFIRMED  # type: ignore[union-attr]
    assert session.get(Commitment, theirs.id).status == CommitmentStatus.PROPOSED  # type: ignore[union-attr]


def test_a_terminated_projects_refund_is_waived_with_a_reason(
    browser_client: TestClient, world: World, session: Session
):
    refund = world.refund()
    sign_in(browser_client, SECRETARIAT)
    assert "Remboursements attendus (1)" in browser_client.get("/suivi").text
    page = f"/projets/{refund.project_id}"
    assert "Fonds non utilisés à rembourser" in browser_client.get(page).text
    silent = send_form(
        browser_client,
        page,
        f"/actions/remboursements/{refund.id}",
        {"action": "waive", "version": str(refund.version), "comment": ""},
    )
    assert silent.status_code == 400
    waived = send_form(
        browser_client,
        page,
        f"/actions/remboursements/{refund.id}",
        {"action": "waive", "version": str(refund.version), "comment": "Association dissoute."},
    )
    assert waived.status_code == 303
    session.expire_all()
    assert session.get(Refund, refund.id).status == RefundStatus.WAIVED  # type: ignore[union-attr]


def test_a_project_is_suspended_from_its_page_with_a_reason(
    browser_client: TestClient, world: World, session: Session
):
    project = world.signed()
    sign_in(browser_client, SECRETARIAT)
    page = f"/projets/{project.id}"
    answer = send_form(
        browser_client,
        page,
        f"/actions/projets/{project.id}",
        {"action": "suspend", "version": str(project.version), "comment": "Audit en cours."},
    )
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(type(project), project.id).status == ProjectStatus.SUSPENDED  # type: ignore[union-attr]


def test_the_follow_up_is_the_secretariats(
    browser_client: TestClient, world: World, session: Session
):
    make_user(session, "other@fedevaco.example", Role.COMMISSION)
    for email in ("youssef@tafraout.example", AUTHORITY, "expert@fedevaco.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/suivi").status_code == 403
    browser_client.cookies.clear()
    assert browser_client.get("/suivi").status_code == 303
    assert browser_client.post("/actions/inconnu/1").status_code in (303, 403)
