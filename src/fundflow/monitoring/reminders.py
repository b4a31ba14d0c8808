"""Reminders of reports due soon or overdue (`fundflow remind`, daily).

What to send is decided and recorded in one transaction (a reminder is recorded once per
report, user, kind and day); the e-mails leave only after that commit, so a failed run
sends nothing twice and records nothing it did not decide.
"""

import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fundflow.accounts.models import Language, Role, User, UserRole
from fundflow.core.config import Settings
from fundflow.monitoring.models import ReminderLog, Report, ReportStatus
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


def plan_reminders(session: Session, *, today: date, days_ahead: int) -> list[Outgoing]:
    rows = session.execute(
        select(Report, Project)
        .join(Project, col(Project.id) == col(Report.project_id))
        .where(
            col(Report.status).in_(WAITING),
            col(Report.due_on) <= today + timedelta(days=days_ahead),
        )
        .order_by(col(Report.due_on), col(Report.id))
    ).all()
    members: dict[int, list[User]] = {}
    outgoing: list[Outgoing] = []
    overdue_lines: list[tuple[Report, Project]] = []
    for report, project in rows:
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
        for user in members[project.organisation_id]:
            log_id = _claim(
                session, report_id=report.id, user_id=user.id or 0, kind=kind, today=today
            )
            if log_id is None:
                continue
            values = {
                "title": project.title,
                "kind": report.kind,
                "due": report.due_on,
                "start": report.period_start,
                "end": report.period_end,
                "late": (today - report.due_on).days,
            }
            outgoing.append(
                Outgoing(
                    user.email,
                    SUBJECTS[(kind, user.language)].format(**values),
                    BODIES[(kind, user.language)].format(**values),
                    log_id,
                )
            )
    if overdue_lines:
        secretariat = session.exec(
            select(User).where(
                col(User.id).in_(
                    select(col(UserRole.user_id)).where(UserRole.role == Role.SECRETARIAT)
                ),
                col(User.is_active).is_(True),
            )
        ).all()
        lines = "\n".join(
            f"- {p.title} ({r.kind}, due {r.due_on}, {(today - r.due_on).days} days late)"
            for r, p in overdue_lines
        )
        for user in secretariat:
            log_id = _claim(
                session, report_id=None, user_id=user.id or 0, kind="digest", today=today
            )
            if log_id is not None:
                outgoing.append(
                    Outgoing(
                        user.email,
                        SUBJECTS[("digest", user.language)].format(count=len(overdue_lines)),
                        BODIES[("digest", user.language)].format(lines=lines),
                        log_id,
                    )
                )
    return outgoing


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
