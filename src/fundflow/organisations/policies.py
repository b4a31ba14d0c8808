"""Who may see and change organisations and partners."""

from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.organisations.models import Organisation, Partner

# Staff roles read the whole directory; an applicant only its own organisation.
DIRECTORY_READERS = (Role.SECRETARIAT, Role.ADMIN, Role.COMMISSION, Role.AUTHORITY)


def organisation_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(*DIRECTORY_READERS):
        return true()
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        return Organisation.id == actor.organisation_id  # type: ignore[return-value]
    return false()


def partner_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(*DIRECTORY_READERS):
        return true()
    if actor.has(Role.APPLICANT) and actor.organisation_id is not None:
        owner: Any = Partner.organisation_id
        return or_(owner == actor.organisation_id, owner.is_(None))
    return false()


def can_edit_partner(actor: Actor, partner: Partner) -> bool:
    if actor.has(Role.SECRETARIAT):
        return True
    return (
        actor.has(Role.APPLICANT)
        and partner.organisation_id is not None
        and partner.organisation_id == actor.organisation_id
    )


def partner_owner(actor: Actor, requested: int | None) -> int | None:
    """Whose a new partner is: an association registers partners for itself; the secretariat
    for any association, or shared (None)."""
    if actor.has(Role.SECRETARIAT):
        return requested
    if requested not in (None, actor.organisation_id):
        raise Forbidden(N_("An association registers partners for itself only."))
    return actor.organisation_id
