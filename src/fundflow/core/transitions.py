"""The one engine that enforces every state machine and writes the audit trail."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from fundflow.core.actor import Actor
from fundflow.core.audit import Event
from fundflow.core.errors import Conflict, Forbidden, RuleViolation, Violation
from fundflow.core.messages import N_, Message
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.versioning import bump_version
from fundflow.core.workflow import Machine, Transition, TransitionContext


@dataclass(frozen=True)
class TransitionOption:
    action: str
    to: str | list[str]
    allowed: bool
    blocked_by: list[Violation]
    comment_required: bool
    payload_schema: dict[str, Any] | None
    # The values the payload's choice field may take for this entity (an outcome).
    choices: list[str] = field(default_factory=list)


def _guard_violations(row: Transition, ctx: TransitionContext) -> list[Violation]:
    violations: list[Violation] = []
    for guard in row.guards:
        violations.extend(guard(ctx))
    return violations


def transition_options(
    session: Session,
    *,
    machine: Machine[Any],
    entity: Any,
    actor: Actor,
    acting_roles: Iterable[str],
) -> list[TransitionOption]:
    """The actions the actor could take now, with what blocks each one."""
    roles = frozenset(acting_roles)
    state = str(entity.status)
    ctx = TransitionContext(
        session=session, actor=actor, entity=entity, acting_roles=roles, from_state=state
    )
    options = []
    for row in machine.available(state, roles):
        blocked = _guard_violations(row, ctx)
        to: str | list[str] = row.targets_for(entity) if row.target_field else row.target
        options.append(
            TransitionOption(
                row.action,
                to,
                not blocked,
                blocked,
                row.comment_required,
                row.payload_schema,
                row.choices_for(entity) if row.target_field else [],
            )
        )
    return options


def perform_transition(
    session: Session,
    *,
    machine: Machine[Any],
    entity: Any,
    actor: Actor,
    acting_roles: Iterable[str],
    action: str,
    comment: str | None = None,
    version: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Check and take one transition; the event is written in the caller's transaction."""
    roles = frozenset(acting_roles)
    row = machine.get(action)
    if not row.roles & roles:
        raise Forbidden(
            Message(
                N_("Only %(roles)s may `%(action)s` this %(kind)s."),
                {
                    "roles": ", ".join(sorted(row.roles)),
                    "action": action,
                    "kind": machine.entity_type,
                },
            )
        )
    from_state = str(entity.status)
    machine.resolve(from_state, action)
    if version is not None and version != entity.version:
        raise Conflict(
            Message(
                N_(
                    "The %(kind)s was changed since version %(sent)s (now %(now)s); "
                    "reload it and try again."
                ),
                {"kind": machine.entity_type, "sent": version, "now": entity.version},
            )
        )
    payload = payload or {}
    comment = (comment or "").strip() or None
    violations: list[Violation] = []
    if row.comment_required and comment is None:
        violations.append(
            Violation(
                "comment_required", Message(N_("`%(action)s` needs a comment."), {"action": action})
            )
        )
    params = row.validate_payload(payload)
    to_state = row.target_for(payload, entity)
    ctx = TransitionContext(
        session=session,
        actor=actor,
        entity=entity,
        acting_roles=roles,
        comment=comment,
        payload=payload,
        params=params,
        from_state=from_state,
        to_state=to_state,
    )
    violations.extend(_guard_violations(row, ctx))
    if violations:
        raise RuleViolation.of(
            Message(N_("`%(action)s` is not possible now."), {"action": action}), violations
        )

    _compare_and_set_state(session, machine, entity, from_state, to_state)
    event = Event(
        entity_type=machine.entity_type,
        entity_id=entity.id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.id,
        acting_as=_acting_as(actor, row.roles & roles),
        comment=comment,
        data=_jsonable(payload),
    )
    session.add(event)
    for effect in row.effects:
        effect(ctx)
    session.flush()
    return event


def _compare_and_set_state(
    session: Session, machine: Machine[Any], entity: Any, from_state: str, to_state: str
) -> None:
    """Move state and version only if nobody else did since we read the row."""
    bump_version(
        session,
        entity,
        machine.entity_type,
        unless_changed=(type(entity).status == from_state,),
        status=type(entity.status)(to_state),
    )


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (value if isinstance(value, (int, bool, list, dict, type(None))) else str(value))
        for key, value in payload.items()
    }


def list_events(
    session: Session, *, entity_type: str, entity_id: int, page: PageParams
) -> tuple[Sequence[Event], str | None]:
    stmt = select(Event).where(Event.entity_type == entity_type, Event.entity_id == entity_id)
    return fetch_page(session, stmt, Event.id, page)


def latest_event(
    session: Session, *, entity_type: str, entity_id: int, action: str
) -> Event | None:
    """The last time ``action`` was taken on the entity (the comment of a revision request)."""
    stmt = (
        select(Event)
        .where(
            Event.entity_type == entity_type, Event.entity_id == entity_id, Event.action == action
        )
        .order_by(col(Event.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def _acting_as(actor: Actor, roles: Iterable[str]) -> str:
    """The roles a person acted in, or ``system:<process>`` for the service's own."""
    if actor.process is not None:
        return f"system:{actor.process}"
    return ",".join(sorted(roles))


def record_event(
    session: Session,
    *,
    entity_type: str,
    entity_id: int,
    action: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
    comment: str | None = None,
) -> None:
    """An event for a change that is not a state transition (creation, edits, money)."""
    session.add(
        Event(
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            actor_id=actor.id,
            acting_as=_acting_as(actor, ()) or None,
            comment=comment,
            data=_jsonable(data or {}),
        )
    )
