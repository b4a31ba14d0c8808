"""The call's state machine: draft → open → closed → archived."""

from collections.abc import Iterator

from fundflow.calls.models import Call, CallKind, CallStatus
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Violation
from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, TransitionContext, transition

S = CallStatus


def has_priorities(ctx: TransitionContext[Call]) -> Iterator[Violation]:
    """A funding call's priorities, an award round's categories: what submissions answer."""
    if ctx.entity.kind == CallKind.AWARD:
        if not ctx.entity.categories:
            yield Violation("call_has_categories", "An award round needs at least one category.")
    elif not ctx.entity.priorities:
        yield Violation("call_has_priorities", "A call needs at least one policy priority.")


def has_criteria(ctx: TransitionContext[Call]) -> Iterator[Violation]:
    if not ctx.entity.criteria:
        yield Violation("call_has_criteria", "A call needs at least one evaluation criterion.")


def window_not_past(ctx: TransitionContext[Call]) -> Iterator[Violation]:
    closes_at = ctx.entity.closes_at
    if closes_at is not None and closes_at <= utcnow():
        yield Violation("call_window", "The call's closing date has passed; move it first.")


CALL_MACHINE: Machine[Call] = Machine(
    entity_type="call",
    states=frozenset(S),
    transitions=(
        transition(
            "open",
            [S.DRAFT],
            S.OPEN,
            [Role.SECRETARIAT],
            guards=(has_priorities, has_criteria, window_not_past),
        ),
        transition("close", [S.OPEN], S.CLOSED, [Role.SECRETARIAT]),
        transition("archive", [S.CLOSED], S.ARCHIVED, [Role.SECRETARIAT]),
    ),
)
