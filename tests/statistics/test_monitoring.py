"""Monitoring statistics on a small, hand-checked portfolio."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.accounts.service import actor_of
from fundflow.core.dbtypes import utcnow
from fundflow.core.transitions import perform_transition
from fundflow.monitoring.models import Report
from fundflow.monitoring.workflow import REPORT_MACHINE
from fundflow.statistics.monitoring import monitoring_statistics
from tests.builders import World


def test_portfolio_figures(client: TestClient, world: World, session: Session):
    world.project()  # contracting
    signed = world.signed()
    refund = world.refund()  # a third project, terminated with a refund due
    report = world.complete_report(signed)
    applicant, secretariat = actor_of(world.applicant_a), actor_of(world.secretariat)
    for actor, action in ((applicant, "submit"), (secretariat, "approve")):
        perform_transition(
            session,
            machine=REPORT_MACHINE,
            entity=report,
            actor=actor,
            acting_roles={"applicant"} if actor is applicant else {"secretariat"},
            action=action,
        )
    session.commit()
    reports = session.exec(select(Report)).all()
    today = utcnow().date()
    result = monitoring_statistics(session, today=today)
    assert result["projects_by_status"] == {"active": 1, "contracting": 1, "terminated": 1}
    # Signed project: interim approved, final scheduled; terminated one: two scheduled.
    assert result["reports"] == {"due": 3, "overdue": 0, "submitted": 0, "approved": 1}
    later = max(r.due_on for r in reports) + timedelta(days=1)
    assert monitoring_statistics(session, today=later)["reports"]["overdue"] == 3
    # complete_report gave every indicator the value 1: households 0 → 350 (0.3 %),
    # pipe 4200 m without baseline (0.0 %); both under the "water" priority.
    assert result["indicator_progress_by_priority"] == [
        {"priority": "water", "indicators": 2, "mean_progress_percent": "0.2"}
    ]
    assert result["unused_funds"]["due"] == {"count": 1, "amount": f"{refund.amount:.2f}"}
    assert result["unused_funds"]["received"] == {"count": 0, "amount": "0.00"}
    response = client.get("/api/v1/stats/monitoring", headers=world.headers("authority"))
    assert response.status_code == 200
    # The authority's funder co-finances the signed and terminated projects, not the one
    # still in contracting.
    assert response.json()["projects_by_status"] == {"active": 1, "terminated": 1}


def test_monitoring_as_csv_and_xlsx(client: TestClient, world: World):
    import csv
    import io

    from openpyxl import load_workbook

    world.refund()
    headers = world.headers("secretariat")
    data = client.get("/api/v1/stats/monitoring", headers=headers).json()
    text = client.get("/api/v1/stats/monitoring?format=csv", headers=headers).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    due = next(r for r in rows if r["section"] == "unused_funds" and r["item"] == "due")
    assert due["amount"] == data["unused_funds"]["due"]["amount"]
    assert {
        r["item"]: int(r["count"]) for r in rows if r["section"] == "projects_by_status"
    } == data["projects_by_status"]
    sheet = load_workbook(
        io.BytesIO(client.get("/api/v1/stats/monitoring?format=xlsx", headers=headers).content)
    ).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("section", "item", "count", "amount", "mean_progress_percent")
    assert len(values) == len(rows) + 1
