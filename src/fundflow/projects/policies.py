"""Who sees projects: the secretariat all, an association its own.

Funders' staff see the projects their funder co-finances (or is asked to).
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlmodel import col

from fundflow.accounts.models import Role
from fundflow.cofinancing.models import Commitment, CommitmentStatus
from fundflow.core.actor import Actor
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


def co_financed_by(funder_id: int) -> Select[Any]:
    """Projects a funder has committed to (or been asked to), declined ones excepted."""
    return select(col(Commitment.project_id)).where(
        col(Commitment.funder_id) == funder_id, col(Commitment.status) != CommitmentStatus.DECLINED
    )
