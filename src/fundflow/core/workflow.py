"""State machines as tables.

A ``Machine`` is a table of ``Transition`` rows: action, source states, target state,
roles, guards. It knows nothing of HTTP or the database; the engine in
``core.transitions`` enforces it and the ``/transitions`` endpoints are answered from it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from fundflow.core.actor import Actor
from fundflow.core.errors import Conflict, InvalidInput, Violation
from fundflow.core.messages import N_, Message

E = TypeVar("E")
P = TypeVar("P", bound=BaseModel)


@dataclass
class TransitionContext(Generic[E]):
    """What guards and effects see: the entity (typed per machine), who acts, what they sent."""

    session: Session
    actor: Actor
    entity: E
    acting_roles: frozenset[str]
    comment: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    # The payload validated by the transition's payload model, when it has one.
    params: BaseModel | None = None
    from_state: str | None = None
    to_state: str | None = None

    def params_as(self, model: type[P]) -> P:
        """The validated payload of an action whose table row names ``model``."""
        if not isinstance(self.params, model):
            raise TypeError(f"the action's payload is not a {model.__name__}")
        return self.params


Guard = Callable[[TransitionContext[E]], Iterable[Violation]]
Effect = Callable[[TransitionContext[E]], None]


@dataclass(frozen=True)
class Transition(Generic[E]):
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    # Conditions on the world, evaluated both when listing and when acting.
    guards: tuple[Guard[E], ...] = ()
    comment_required: bool = False
    # Work done in the same transaction once the state has changed (timestamps, children).
    effects: tuple[Effect[E], ...] = ()
    # When the payload chooses among several targets (a decision's outcome), the payload
    # field and the targets it may name.
    target_field: str | None = None
    targets: Mapping[str, str] = field(default_factory=dict)
    # Which of those choices an entity offers (a call's kind decides its outcomes); all
    # when absent.
    choices: Callable[[E], Iterable[str]] | None = None
    # The fields the action takes besides action/comment/version; none when absent.
    payload_model: type[BaseModel] | None = None

    @cached_property
    def payload_schema(self) -> dict[str, Any] | None:
        """The JSON Schema of the payload, made once (the /transitions listings show it)."""
        return self.payload_model.model_json_schema() if self.payload_model else None

    def validate_payload(self, payload: Mapping[str, Any]) -> BaseModel | None:
        if self.payload_model is None:
            if payload:
                raise InvalidInput(
                    f"`{self.action}` takes no fields besides action, comment and version.",
                    [{"loc": ["body", name], "message": "unexpected field"} for name in payload],
                )
            return None
        try:
            return self.payload_model.model_validate(dict(payload))
        except ValidationError as exc:
            raise InvalidInput(
                f"The fields sent with `{self.action}` are not valid.",
                [{"loc": ["body", *map(str, e["loc"])], "message": e["msg"]} for e in exc.errors()],
            ) from None

    def choices_for(self, entity: E) -> list[str]:
        offered = self.choices(entity) if self.choices is not None else self.targets
        return [choice for choice in self.targets if choice in set(offered)]

    def targets_for(self, entity: E) -> list[str]:
        """The states the action may lead this entity to."""
        if self.target_field is None:
            return [self.target]
        return sorted({self.targets[choice] for choice in self.choices_for(entity)})

    def target_for(self, payload: Mapping[str, Any], entity: E) -> str:
        if self.target_field is None:
            return self.target
        choice = str(payload.get(self.target_field))
        offered = self.choices_for(entity)
        if choice not in offered:
            raise InvalidInput(
                f"`{self.target_field}` must be one of {', '.join(offered)}.",
                [{"loc": ["body", self.target_field], "message": "unknown choice"}],
            )
        return self.targets[choice]


def transition(
    action: str,
    sources: Iterable[str],
    target: str,
    roles: Iterable[str],
    *,
    guards: Iterable[Guard[E]] = (),
    effects: Iterable[Effect[E]] = (),
    comment_required: bool = False,
    target_field: str | None = None,
    targets: Mapping[str, str] | None = None,
    choices: Callable[[E], Iterable[str]] | None = None,
    payload_model: type[BaseModel] | None = None,
) -> Transition[E]:
    return Transition(
        action,
        frozenset(sources),
        target,
        frozenset(roles),
        guards=tuple(guards),
        comment_required=comment_required,
        effects=tuple(effects),
        target_field=target_field,
        targets=dict(targets or {}),
        choices=choices,
        payload_model=payload_model,
    )


@dataclass(frozen=True)
class Machine(Generic[E]):
    """One entity type's state machine; ``E`` is the entity its guards and effects get."""

    entity_type: str
    states: frozenset[str]
    transitions: tuple[Transition[E], ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for row in self.transitions:
            if row.action in seen:
                raise ValueError(f"{self.entity_type}: action {row.action} declared twice")
            seen.add(row.action)
            targets = set(row.targets.values()) if row.target_field else {row.target}
            unknown = (row.sources | targets) - self.states
            if unknown:
                raise ValueError(f"{self.entity_type}.{row.action}: unknown states {unknown}")

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(row.action for row in self.transitions)

    def get(self, action: str) -> Transition[E]:
        for row in self.transitions:
            if row.action == action:
                return row
        raise InvalidInput(
            f"`{action}` is not an action on a {self.entity_type}.",
            [{"loc": ["body", "action"], "message": f"one of: {', '.join(self.actions)}"}],
        )

    def resolve(self, state: str, action: str) -> Transition[E]:
        """The transition for ``action`` from ``state``, or 409 when the state forbids it."""
        row = self.get(action)
        if state not in row.sources:
            raise Conflict(
                Message(
                    N_(
                        "A %(kind)s in state `%(state)s` cannot `%(action)s` "
                        "(only from %(sources)s)."
                    ),
                    {
                        "kind": self.entity_type,
                        "state": state,
                        "action": action,
                        "sources": ", ".join(sorted(row.sources)),
                    },
                )
            )
        return row

    def available(self, state: str, roles: Iterable[str]) -> list[Transition[E]]:
        """Transitions from ``state`` that someone acting in ``roles`` may take."""
        held = frozenset(roles)
        return [row for row in self.transitions if state in row.sources and row.roles & held]
