"""Who sees whose money.

Commitments: the secretariat all; a funder's staff their funder's; an association those
of its own projects (it should know who funds it).

Figures by funder (a project's ledger, statistics grouped or filtered by funder, the
monitoring of projects): a funder's staff see their own funder's rows, and other funders'
money only inside totals; the secretariat sees every row. ``money_rows_of`` is that rule.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlmodel import col

from fundflow.cofinancing.models import Commitment, CommitmentStatus
from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role
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


def money_rows_of(actor: Actor) -> int | None:
    """The one funder whose rows a funder's staff see, or None for every funder's rows
    (the secretariat; an association, on its own projects). A funder's staff without a
    funder see no funder's rows (-1 names none)."""
    if actor.has(Role.SECRETARIAT) or not actor.has(Role.AUTHORITY):
        return None
    return actor.funder_id if actor.funder_id is not None else -1


def projects_confirmed_by(funder_id: int) -> Select[Any]:
    """The projects a funder co-finances: those with a confirmed commitment of its."""
    return select(col(Commitment.project_id)).where(
        col(Commitment.funder_id) == funder_id,
        col(Commitment.status) == CommitmentStatus.CONFIRMED,
    )


def require_own_funder(actor: Actor, funder_id: int | None) -> None:
    """Asking for another funder's figures by name is refused, not silently narrowed."""
    own = money_rows_of(actor)
    if funder_id is not None and own is not None and funder_id != own:
        raise Forbidden("A funder's staff see their own funder's figures; others only in totals.")


def acting_roles(actor: Actor, commitment: Commitment) -> frozenset[str]:
    """A funder's staff confirm or decline their funder's commitments; the secretariat may
    act on their behalf (the event records it)."""
    roles = set(actor.roles & {Role.SECRETARIAT})
    if actor.has(Role.AUTHORITY) and actor.funder_id == commitment.funder_id:
        roles.add(Role.AUTHORITY)
    return frozenset(roles)


def require_paymaster(actor: Actor) -> None:
    """Payments and commitments are recorded by the secretariat, which holds the accounts."""
    if not actor.has(Role.SECRETARIAT):
        raise Forbidden("Only the secretariat records payments and commitments.")
