"""Report rules: content checked against the logframe, sealed once submitted, overdue
derived from dates, visible only to those who see the project."""

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.core.audit import Event
from fundflow.monitoring.models import Report
from fundflow.monitoring.service import schedule
from fundflow.projects.models import Project
from fundflow.proposals.models import Indicator
from tests.builders import World


def first_report(session: Session, project: Project) -> Report:
    return session.exec(
        select(Report).where(Report.project_id == project.id).order_by(Report.due_on)
    ).first()


def test_indicator_values_must_belong_to_the_logframe(
    client: TestClient, world: World, session: Session
):
    project = world.signed()
    report = first_report(session, project)
    foreign = world.signed()
    foreign_indicator = session.exec(
        select(Indicator.id).where(Indicator.proposal_id == foreign.proposal_id)
    ).first()
    response = client.put(
        f"/api/v1/reports/{report.id}",
        headers=world.headers("applicant_a"),
        json={
            "narrative": "x",
            "indicator_values": [
                {"indicator_id": foreign_indicator, "value": "3"},
                {"indicator_id": 999999, "value": "1"},
            ],
        },
    )
    assert response.status_code == 422
    assert [e["loc"][-2] for e in response.json()["errors"]] == ["0", "1"]
    missing_reason = client.put(
        f"/api/v1/reports/{report.id}",
        headers=world.headers("applicant_a"),
        json={"indicator_values": [{"indicator_id": foreign_indicator}]},
    )
    assert missing_reason.status_code == 422


def test_submit_needs_a_complete_report(client: TestClient, world: World, session: Session):
    project = world.signed()
    report = first_report(session, project)
    client.put(
        f"/api/v1/reports/{report.id}",
        headers=world.headers("applicant_a"),
        json={"expenses": [{"category": "staff", "amount": "10.00"}]},
    )
    refused = client.post(
        f"/api/v1/reports/{report.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "submit"},
    )
    assert {e["rule"] for e in refused.json()["errors"]} == {
        "narrative",
        "indicator_values",
        "own_funds_spent",
    }
    other = client.put(
        f"/api/v1/reports/{report.id}",
        headers=world.headers("secretariat"),
        json={"narrative": "x"},
    )
    assert other.status_code == 403


def test_overdue_is_derived_from_the_dates(world: World, session: Session):
    project = world.signed()
    interim, final = schedule(session, project)
    before = schedule(session, project, today=interim.due_on)
    assert [r.overdue for r in before] == [False, False]
    after = schedule(session, project, today=interim.due_on + timedelta(days=10))
    assert (after[0].overdue, after[0].days_late, after[1].overdue) == (True, 10, False)
    much_later = schedule(session, project, today=final.due_on + timedelta(days=1))
    assert [r.days_late for r in much_later] == [
        (final.due_on + timedelta(days=1) - interim.due_on).days,
        1,
    ]
    assert isinstance(interim.due_on, date)


def test_authorities_read_reports_of_projects_they_co_finance(
    client: TestClient, world: World, session: Session
):
    co_financed = world.signed()
    other_funder = world.envelope_of("Ville de Lausanne")
    elsewhere = world.project()
    world.commit(elsewhere, other_funder, "35000.00")
    mine, theirs = first_report(session, co_financed), None
    headers = world.headers("authority")
    assert client.get(f"/api/v1/reports/{mine.id}", headers=headers).status_code == 200
    assert (
        client.get(f"/api/v1/projects/{elsewhere.id}/reports", headers=headers).status_code == 404
    )
    assert (
        client.get(f"/api/v1/reports/{mine.id}", headers=world.headers("applicant_b")).status_code
        == 404
    )
    assert theirs is None


def test_tick_ends_projects_past_their_end_date(world: World, session: Session):
    from fundflow.lifecycle.daily import end_finished_projects

    project = world.signed()
    assert end_finished_projects(session, today=project.end_date) == []
    assert end_finished_projects(session, today=project.end_date + timedelta(days=1)) == [
        project.id
    ]
    session.refresh(project)
    assert project.status == "final_reporting"
    ended = session.exec(
        select(Event).where(Event.entity_type == "project", Event.action == "end")
    ).one()
    assert (ended.actor_id, ended.acting_as) == (None, "system:tick")
