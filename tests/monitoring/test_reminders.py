"""Reminders go to a real (local) SMTP server, in each user's language, once a day."""

from datetime import timedelta

from sqlmodel import Session, select

from fundflow.accounts.models import Language
from fundflow.core.config import Settings
from fundflow.core.roles import Role
from fundflow.monitoring.models import Report
from fundflow.monitoring.reminders import plan_reminders, send
from tests.builders import World, make_user


def test_reminders_are_delivered_once_in_each_language(world: World, session: Session, smtp):  # type: ignore[no-untyped-def]
    inbox, port = smtp
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, mail_from="rappels@fedevaco.example")
    english = make_user(session, "sara@tafraout.example", Role.APPLICANT, organisation=world.org_a)
    english.language = Language.EN
    session.commit()
    project = world.signed()
    interim = session.exec(
        select(Report).where(Report.project_id == project.id).order_by(Report.due_on)
    ).first()
    overdue_day = interim.due_on + timedelta(days=5)

    messages = plan_reminders(session, today=overdue_day, days_ahead=14)
    session.commit()
    send(settings, messages)
    received = {(to[0], subject) for to, subject, _ in inbox.messages}
    assert (
        "youssef@tafraout.example",
        "Rapport en retard de 5 jours – Drinking water for Tafraout",
    ) in received
    assert (
        "sara@tafraout.example",
        "Report 5 days overdue – Drinking water for Tafraout",
    ) in received
    assert ("secretariat@fedevaco.example", "Rapports en retard : 1") in received
    assert len(inbox.messages) == 3
    digest = next(body for to, _, body in inbox.messages if to == ["secretariat@fedevaco.example"])
    # One language a message: the secretariat's French digest has no English line.
    assert "rapport intermédiaire, attendu le" in digest and "5 jours de retard" in digest
    assert "days" not in digest and "interim" not in digest

    # The same day again: nothing more is sent.
    assert plan_reminders(session, today=overdue_day, days_ahead=14) == []
    # A report due within the window, not yet late, is announced.
    soon = plan_reminders(session, today=interim.due_on - timedelta(days=3), days_ahead=14)
    assert {m.subject for m in soon} == {
        f"Rapport à rendre d'ici le {interim.due_on} – Drinking water for Tafraout",
        f"Report due by {interim.due_on} – Drinking water for Tafraout",
    }


def test_reminders_that_could_not_leave_are_retried(world: World, session: Session):
    from fundflow.monitoring.reminders import withdraw

    project = world.signed()
    interim = session.exec(
        select(Report).where(Report.project_id == project.id).order_by(Report.due_on)
    ).first()
    day = interim.due_on + timedelta(days=1)
    messages = plan_reminders(session, today=day, days_ahead=14)
    session.commit()
    nobody_listening = Settings(smtp_host="127.0.0.1", smtp_port=9)  # discard port, closed
    undelivered = send(nobody_listening, messages)
    assert undelivered == messages
    withdraw(session, undelivered)
    session.commit()
    assert len(plan_reminders(session, today=day, days_ahead=14)) == len(messages)


def test_an_association_no_one_can_be_reminded_at_is_in_the_digest(world: World, session: Session):
    """Issue 12, wrong answer 5: an association without an active account is never
    skipped silently."""
    project = world.signed()
    world.applicant_a.is_active = False
    session.add(world.applicant_a)
    session.commit()
    interim = session.exec(
        select(Report).where(Report.project_id == project.id).order_by(Report.due_on)
    ).first()
    assert interim is not None

    # Due soon: nothing overdue, yet the secretariat hears that no one could be reminded.
    messages = plan_reminders(session, today=interim.due_on - timedelta(days=3), days_ahead=14)

    assert [m.to for m in messages] == ["secretariat@fedevaco.example"]
    assert "Rappels impossibles" in messages[0].body
    assert f"personne à qui l'envoyer chez {world.org_a.name}" in messages[0].body
    assert "(aucun)" in messages[0].body
