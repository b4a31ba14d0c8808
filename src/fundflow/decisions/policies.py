"""Who sees a decision's grounds and who ticks its conditions."""

from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role


def sees_decision_grounds(actor: Actor) -> bool:
    """The score, rules and criteria a decision was taken under are for the secretariat and
    the commission; the association sees the outcome, amount, conditions and rationale."""
    return actor.has(Role.SECRETARIAT, Role.COMMISSION)


def require_condition_editor(actor: Actor) -> None:
    if not actor.has(Role.SECRETARIAT):
        raise Forbidden("The secretariat ticks the conditions of an approval.")
