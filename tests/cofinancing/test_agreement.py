"""Signing, tranches, the reporting schedule, disbursements, the ledger and the check."""

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.calls.rules import Reporting
from fundflow.cofinancing.agreement import reporting_schedule
from fundflow.cofinancing.invariants import violations
from fundflow.funders.models import Envelope
from fundflow.monitoring.models import ReportKind
from fundflow.projects.models import Project
from tests.builders import World


def act(client: TestClient, world: World, project_id: int, action: str, **body):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/projects/{project_id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": action, **body},
    )


def test_signing_needs_confirmed_commitments_equal_to_the_grant(client: TestClient, world: World):
    project = world.project("33333.33")
    world.commit(project, world.envelope, "20000.00")
    world.commit(project, world.envelope_of("Ville de Lausanne"), "13333.33", confirm=False)
    refused = act(client, world, project.id, "sign_agreement")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "rule": "commitments_confirmed",
            "message": "Confirmed commitments add up to 20000.00; the grant is 33333.33.",
        }
    ]


def test_signing_creates_tranches_and_the_schedule(
    client: TestClient, world: World, session: Session
):
    project = world.project("33333.33")
    lausanne = world.envelope_of("Ville de Lausanne")
    world.commit(project, world.envelope, "20000.00")
    world.commit(project, lausanne, "13333.33")
    signed = act(client, world, project.id, "sign_agreement")
    assert signed.status_code == 200 and signed.json()["status"] == "active"
    assert signed.json()["committed_amount"] == "33333.33"
    tranches = client.get(
        f"/api/v1/projects/{project.id}/tranches", headers=world.headers("applicant_a")
    ).json()
    assert [(t["share"], t["amount"], t["on"], t["status"]) for t in tranches] == [
        ("0.8000", "26666.66", "on_signature", "due"),
        ("0.2000", "6666.67", "on_final_report_approved", "pending"),
    ]

    # A pending tranche cannot be paid; the due one is split pro rata between funders.
    secretariat = world.headers("secretariat")
    pending = client.post(
        f"/api/v1/projects/{project.id}/disbursements",
        headers=secretariat,
        json={
            "tranche_id": tranches[1]["id"],
            "paid_on": "2027-06-01",
            "reference": "VIR-2027-0612",
        },
    )
    assert pending.status_code == 422 and pending.json()["errors"][0]["rule"] == "tranche_due"
    paid = client.post(
        f"/api/v1/projects/{project.id}/disbursements",
        headers=secretariat,
        json={
            "tranche_id": tranches[0]["id"],
            "paid_on": "2027-06-01",
            "reference": "VIR-2027-0611",
        },
    )
    assert paid.status_code == 201, paid.text
    assert [(s["funder_id"], s["amount"]) for s in paid.json()["shares"]] == [
        (world.funder.id, "16000.00"),
        (lausanne.funder_id, "10666.66"),
    ]
    again = client.post(
        f"/api/v1/projects/{project.id}/disbursements",
        headers=secretariat,
        json={
            "tranche_id": tranches[0]["id"],
            "paid_on": "2027-06-02",
            "reference": "VIR-2027-0613",
        },
    )
    assert again.status_code == 422
    ledger = client.get(f"/api/v1/projects/{project.id}/ledger", headers=secretariat).json()
    assert (ledger["granted"], ledger["confirmed"], ledger["disbursed"]) == (
        "33333.33",
        "33333.33",
        "26666.66",
    )
    assert [(f["committed"], f["disbursed"], f["remaining"]) for f in ledger["funders"]] == [
        ("20000.00", "16000.00", "4000.00"),
        ("13333.33", "10666.66", "2666.67"),
    ]
    shown = client.get(f"/api/v1/projects/{project.id}", headers=secretariat).json()
    assert shown["disbursed_amount"] == "26666.66"
    envelope = session.get(Envelope, world.envelope.id)
    session.refresh(envelope)
    assert (envelope.committed, envelope.disbursed) == (Decimal("20000.00"), Decimal("16000.00"))
    # A commitment with money paid out cannot be cancelled.
    commitment_id = ledger["funders"][0]["commitment_id"]
    cancel = client.post(
        f"/api/v1/commitments/{commitment_id}/transitions",
        headers=secretariat,
        json={"action": "cancel"},
    )
    assert {e["rule"] for e in cancel.json()["errors"]} == {"disbursed", "project_signed"}
    assert violations(session) == []

    reports = client.get(f"/api/v1/projects/{project.id}/reports", headers=secretariat).json()
    assert [r["kind"] for r in reports][-1] == "final"


def test_reporting_schedule_by_hand():
    # 1 May 2027 to 31 Oct 2028, yearly reports: one interim (to 30 Apr 2028, due 60 days
    # later) and the final one over the rest of the project, due 180 days after its end.
    schedule = reporting_schedule(date(2027, 5, 1), date(2028, 10, 31), Reporting())
    assert schedule == [
        (ReportKind.INTERIM, date(2027, 5, 1), date(2028, 4, 30), date(2028, 6, 29)),
        (ReportKind.FINAL, date(2028, 5, 1), date(2028, 10, 31), date(2029, 4, 29)),
    ]
    three_years = reporting_schedule(
        date(2027, 1, 1), date(2029, 12, 31), Reporting(interim_every_months=12)
    )
    assert [(k, s, e) for k, s, e, _ in three_years] == [
        (ReportKind.INTERIM, date(2027, 1, 1), date(2027, 12, 31)),
        (ReportKind.INTERIM, date(2028, 1, 1), date(2028, 12, 31)),
        (ReportKind.FINAL, date(2029, 1, 1), date(2029, 12, 31)),
    ]


def test_project_lifecycle_actions(client: TestClient, world: World):
    project = world.signed()
    assert act(client, world, project.id, "suspend").status_code == 422  # needs a comment
    assert (
        act(client, world, project.id, "suspend", comment="Rapport intermédiaire en retard").json()[
            "status"
        ]
        == "suspended"
    )
    assert act(client, world, project.id, "resume").status_code == 422  # needs a comment too
    assert (
        act(client, world, project.id, "resume", comment="Rapport reçu").json()["status"]
        == "active"
    )
    assert act(client, world, project.id, "end").json()["status"] == "final_reporting"
    closing = act(client, world, project.id, "close")
    assert closing.json()["errors"][0]["rule"] == "final_report_approved"
    assert act(client, world, project.id, "terminate").status_code == 409


def test_check_reports_broken_books(world: World, session: Session):
    project = world.signed()
    assert violations(session) == []
    envelope = session.get(Envelope, world.envelope.id)
    envelope.committed = envelope.committed - Decimal("0.01")
    stored = session.get(Project, project.id)
    stored.granted_amount = stored.granted_amount + Decimal("1.00")
    session.commit()
    found = violations(session)
    assert any(f"envelope {envelope.id}: committed" in line for line in found), found
    assert any(
        f"project {project.id}: confirmed commitments 35000.00 != granted 35001.00" in line
        for line in found
    ), found
