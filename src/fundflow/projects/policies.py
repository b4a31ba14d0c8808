"""Who sees projects: the secretariat all, an association its own.

Funders' staff will see the projects their funder co-finances once commitments exist.
"""

from sqlalchemy import ColumnElement, false, or_, true

from fundflow.accounts.models import Role
from fundflow.core.actor import Actor
from fundflow.projects.models import Project


def project_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(Role.SECRETARIAT):
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        clauses.append(Project.organisation_id == actor.organisation_id)  # type: ignore[arg-type]
    return or_(*clauses) if clauses else false()
