"""Reminders of reports due soon or overdue (`fundflow remind`, daily).

What to send is decided and recorded in one transaction (a reminder is recorded once per
report, user, kind and day); the e-mails leave only after that commit, so a failed run
sends nothing twice and records nothing it did not decide.
"""

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fundflow.accounts.models import Language, User, UserRole
from fundflow.core.config import Settings
from fundflow.core.roles import Role
from fundflow.monitoring.models import ReminderLog, Report, ReportKind, ReportStatus
from fundflow.organisations.models import Organisation
from fundflow.projects.models import Project

WAITING = (ReportStatus.SCHEDULED, ReportStatus.CHANGES_REQUESTED)

SUBJECTS = {
    ("due_soon", Language.FR): "Rapport à rendre d'ici le {due} – {title}",
    ("due_soon", Language.EN): "Report due by {due} – {title}",
    ("overdue", Language.FR): "Rapport en retard de {late} jours – {title}",
    ("overdue", Language.EN): "Report {late} days overdue – {title}",
    ("digest", Language.FR): "Rapports en retard : {count}",
    ("digest", Language.EN): "Overdue reports: {count}",
}
BODIES = {
    ("due_soon", Language.FR): "Bonjour,\n\nLe rapport {kind} du projet « {title} » "
    "(période du {start} au {end}) est attendu d'ici le {due}.\n",
    ("due_soon", Language.EN): 'Hello,\n\nThe {kind} report of the project "{title}" '
    "(period {start} to {end}) is due by {due}.\n",
    ("overdue", Language.FR): "Bonjour,\n\nLe rapport {kind} du projet « {title} » était attendu "
    "le {due} ({late} jours de retard). Merci de le soumettre.\n",
    ("overdue", Language.EN): 'Hello,\n\nThe {kind} report of the project "{title}" was due on '
    "{due} ({late} days ago). Please submit it.\n",
    ("digest", Language.FR): "Rapports en retard :\n\n{lines}\n",
    ("digest", Language.EN): "Overdue reports:\n\n{lines}\n",
}
# The digest's lines, and what it says of associations no one can be reminded at: every
# word of a message in the recipient's language.
LINES = {
    (
        "overdue",
        Language.FR,
    ): "- {title} (rapport {kind}, attendu le {due}, {late} jours de retard)",
    ("overdue", Language.EN): "- {title} ({kind} report, due {due}, {late} days late)",
    ("unreachable", Language.FR): "- {title} (rapport {kind}, attendu le {due}) : personne à "
    "qui l'envoyer chez {organisation}, qui n'a aucun compte actif",
    ("unreachable", Language.EN): "- {title} ({kind} report, due {due}): no one to remind at "
    "{organisation}, which has no active account",
}
UNREACHABLE_HEADING = {
    Language.FR: "\nRappels impossibles :\n\n",
    Language.EN: "\nReminders that could not be sent:\n\n",
}
NOTHING_OVERDUE = {Language.FR: "(aucun)", Language.EN: "(none)"}
KINDS = {
    (ReportKind.INTERIM, Language.FR): "intermédiaire",
    (ReportKind.FINAL, Language.FR): "final",
    (ReportKind.INTERIM, Language.EN): "interim",
    (ReportKind.FINAL, Language.EN): "final",
}


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    body: str
    log_id: int = 0


def _claim(
    session: Session, *, report_id: int | None, user_id: int, kind: str, today: date
) -> int | None:
    """Record the reminder unless it was already sent today (the unique key decides)."""
    subject = f"{kind} report {report_id}" if report_id is not None else f"{kind} all"
    log = ReminderLog(subject=subject, report_id=report_id, user_id=user_id, sent_on=today)
    try:
        with session.begin_nested():
            session.add(log)
    except IntegrityError:
        return None
    return log.id


@dataclass(frozen=True)
class Unreachable:
    """A report due that no one can be reminded of: its association has no active user."""

    report: Report
    project: Project
    organisation: str


def _values(report: Report, project: Project, today: date, language: Language) -> dict[str, Any]:
    return {
        "title": project.title,
        "kind": KINDS[(ReportKind(report.kind), language)],
        "due": report.due_on,
        "start": report.period_start,
        "end": report.period_end,
        "late": (today - report.due_on).days,
    }


def _waiting(
    session: Session, *, today: date, days_ahead: int, where: Any = sa.true()
) -> Sequence[Any]:
    """Reports due within ``days_ahead`` or overdue, with their project and association."""
    return session.execute(
        select(Report, Project, col(Organisation.name))
        .join(Project, col(Project.id) == col(Report.project_id))
        .join(Organisation, col(Organisation.id) == col(Project.organisation_id))
        .where(
            col(Report.status).in_(WAITING),
            col(Report.due_on) <= today + timedelta(days=days_ahead),
            where,
        )
        .order_by(col(Report.due_on), col(Report.id))
    ).all()


def plan_reminders(session: Session, *, today: date, days_ahead: int) -> list[Outgoing]:
    """The reminders to send today: to each association's active users, and to the
    secretariat a digest of overdue reports and of those no one could be reminded of."""
    rows = _waiting(session, today=today, days_ahead=days_ahead)
    members: dict[int, list[User]] = {}
    outgoing: list[Outgoing] = []
    overdue_lines: list[tuple[Report, Project]] = []
    unreachable: list[Unreachable] = []
    for report, project, organisation in rows:
        kind = "overdue" if report.due_on < today else "due_soon"
        if kind == "overdue":
            overdue_lines.append((report, project))
        if project.organisation_id not in members:
            members[project.organisation_id] = list(
                session.exec(
                    select(User).where(
                        User.organisation_id == project.organisation_id,
                        col(User.is_active).is_(True),
                    )
                ).all()
            )
        if not members[project.organisation_id]:
            unreachable.append(Unreachable(report, project, organisation))
        for user in members[project.organisation_id]:
            log_id = _claim(
                session, report_id=report.id, user_id=user.id or 0, kind=kind, today=today
            )
            if log_id is None:
                continue
            values = _values(report, project, today, user.language)
            outgoing.append(
                Outgoing(
                    user.email,
                    SUBJECTS[(kind, user.language)].format(**values),
                    BODIES[(kind, user.language)].format(**values),
                    log_id,
                )
            )
    if overdue_lines or unreachable:
        secretariat = session.exec(
            select(User).where(
                col(User.id).in_(
                    select(col(UserRole.user_id)).where(UserRole.role == Role.SECRETARIAT)
                ),
                col(User.is_active).is_(True),
            )
        ).all()
        for user in secretariat:
            log_id = _claim(
                session, report_id=None, user_id=user.id or 0, kind="digest", today=today
            )
            if log_id is not None:
                outgoing.append(
                    Outgoing(
                        user.email,
                        SUBJECTS[("digest", user.language)].format(count=len(overdue_lines)),
                        _digest(overdue_lines, unreachable, today, user.language),
                        log_id,
                    )
                )
    return outgoing


def _digest(
    overdue: list[tuple[Report, Project]],
    unreachable: list[Unreachable],
    today: date,
    language: Language,
) -> str:
    lines = "\n".join(
        LINES[("overdue", language)].format(**_values(r, p, today, language)) for r, p in overdue
    )
    body = BODIES[("digest", language)].format(lines=lines or NOTHING_OVERDUE[language])
    if unreachable:
        body += (
            UNREACHABLE_HEADING[language]
            + "\n".join(
                LINES[("unreachable", language)].format(
                    **_values(u.report, u.project, today, language), organisation=u.organisation
                )
                for u in unreachable
            )
            + "\n"
        )
    return body


def unreachable_reports(session: Session, *, today: date, days_ahead: int) -> list[Unreachable]:
    """Reports due soon or overdue whose association has no active user to remind."""
    has_user = (
        select(col(User.id))
        .where(col(User.organisation_id) == col(Project.organisation_id))
        .where(col(User.is_active).is_(True))
        .exists()
    )
    rows = _waiting(session, today=today, days_ahead=days_ahead, where=~has_user)
    return [Unreachable(report, project, name) for report, project, name in rows]


def send(settings: Settings, messages: list[Outgoing]) -> list[Outgoing]:
    """Send what was decided; return what could not be sent (the SMTP server refused or
    could not be reached) so that its record can be withdrawn and a rerun retries it."""
    delivered: set[int] = set()
    try:
        if messages:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_username and settings.smtp_password is not None:
                    smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
                for index, message in enumerate(messages):
                    email = EmailMessage()
                    email["From"] = settings.mail_from
                    email["To"] = message.to
                    email["Subject"] = message.subject
                    email.set_content(message.body)
                    smtp.send_message(email)
                    delivered.add(index)
    except (OSError, smtplib.SMTPException):
        pass
    return [m for i, m in enumerate(messages) if i not in delivered]


def withdraw(session: Session, undelivered: list[Outgoing]) -> None:
    """Forget the records of reminders that did not leave, so the next run sends them."""
    ids = [m.log_id for m in undelivered]
    if ids:
        session.execute(sa.delete(ReminderLog).where(col(ReminderLog.id).in_(ids)))
