"""Who reads funders' envelopes."""

from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role


def check_envelope_reader(actor: Actor, funder_id: int) -> None:
    """The secretariat reads every envelope; a funder's staff read their funder's."""
    if actor.has(Role.SECRETARIAT):
        return
    if actor.has(Role.AUTHORITY) and actor.funder_id == funder_id:
        return
    raise Forbidden("Envelopes are shown to the secretariat and to the funder's own staff.")
