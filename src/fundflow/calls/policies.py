"""Who sees calls: the secretariat all of them, everyone else the published ones."""

from sqlalchemy import ColumnElement, true

from fundflow.calls.models import Call, CallStatus
from fundflow.core.actor import Actor
from fundflow.core.roles import Role

CALL_ROLES = frozenset({Role.SECRETARIAT})


def call_visibility(actor: Actor) -> ColumnElement[bool]:
    if actor.has(Role.SECRETARIAT):
        return true()
    return Call.status != CallStatus.DRAFT  # type: ignore[return-value]


def acting_roles(actor: Actor, _call: Call) -> frozenset[str]:
    return actor.roles & CALL_ROLES
