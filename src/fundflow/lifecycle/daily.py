"""The daily `fundflow tick`: projects whose end date has passed move to final reporting."""

from datetime import date

from sqlmodel import Session, col, select

from fundflow.core.actor import Actor
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.projects.models import Project, ProjectStatus

TICK = Actor.system("tick", Role.SECRETARIAT)


def end_finished_projects(session: Session, *, today: date) -> list[int]:
    ended = []
    for project in session.exec(
        select(Project).where(Project.status == ProjectStatus.ACTIVE, col(Project.end_date) < today)
    ).all():
        perform_transition(
            session,
            machine=PROJECT_MACHINE,
            entity=project,
            actor=TICK,
            acting_roles={Role.SECRETARIAT},
            action="end",
            comment=f"End date {project.end_date} passed (fundflow tick).",
        )
        ended.append(project.id or 0)
    return ended
