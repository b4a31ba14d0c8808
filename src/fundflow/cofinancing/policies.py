"""Who sees commitments: the secretariat all; a funder's staff their funder's; an
association those of its own projects."""

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlmodel import col

from fundflow.accounts.models import Role
from fundflow.cofinancing.models import Commitment
from fundflow.core.actor import Actor
from fundflow.projects.models import Project


def commitment_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(Role.SECRETARIAT):
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.has(Role.AUTHORITY) and actor.funder_id is not None:
        clauses.append(col(Commitment.funder_id) == actor.funder_id)
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        clauses.append(
            col(Commitment.project_id).in_(
                select(col(Project.id)).where(col(Project.organisation_id) == actor.organisation_id)
            )
        )
    return or_(*clauses) if clauses else false()


def acting_roles(actor: Actor, commitment: Commitment) -> frozenset[str]:
    """A funder's staff confirm or decline their funder's commitments; the secretariat may
    act on their behalf (the event records it)."""
    roles = set(actor.roles & {Role.SECRETARIAT})
    if actor.has(Role.AUTHORITY) and actor.funder_id == commitment.funder_id:
        roles.add(Role.AUTHORITY)
    return frozenset(roles)
