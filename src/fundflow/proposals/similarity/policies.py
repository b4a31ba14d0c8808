"""Who screens similar requests: the secretariat and the commission see every association's;
an association is warned of its own only; the secretariat alone records verdicts."""

from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role


def sees_every_association(actor: Actor) -> bool:
    return actor.has(Role.SECRETARIAT, Role.COMMISSION)


def require_verdict_author(actor: Actor) -> None:
    if not actor.has(Role.SECRETARIAT):
        raise Forbidden("The secretariat records verdicts on similar requests.")
