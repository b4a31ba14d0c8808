"""Who sees projects: the secretariat all, an association its own.

Funders' staff see the projects their funder co-finances (or is asked to).
"""

from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import col

from fundflow.cofinancing.models import co_financed_by
from fundflow.core.actor import Actor
from fundflow.core.roles import Role
from fundflow.projects.models import Project


def project_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(Role.SECRETARIAT):
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        clauses.append(col(Project.organisation_id) == actor.organisation_id)
    if actor.has(Role.AUTHORITY) and actor.funder_id is not None:
        clauses.append(col(Project.id).in_(co_financed_by(actor.funder_id)))
    return or_(*clauses) if clauses else false()


def acting_roles(actor: Actor, _project: Project) -> frozenset[str]:
    """The secretariat runs a project's life (signing, suspension, closing)."""
    return frozenset(actor.roles & {Role.SECRETARIAT})
