"""The ``/transitions`` and ``/events`` endpoints, answered from a machine's table.

Every stateful collection mounts the same three routes through ``add_workflow_routes``,
so no router re-implements who may do what.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from fastapi import APIRouter, Header, Path
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlmodel import Session

from fundflow.api.deps import CurrentActor
from fundflow.core.actor import Actor
from fundflow.core.catalogues import translator
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id, Version
from fundflow.core.messages import worded
from fundflow.core.pagination import Page, PageDep
from fundflow.core.transitions import list_events, perform_transition, transition_options
from fundflow.core.workflow import Machine

E = TypeVar("E")


class TransitionRequest(BaseModel):
    """An action, with an optional comment and the version the client last saw. Each
    action of a machine has its own request model (see ``request_body``): those that need
    more (a decision's outcome and amount) add their payload's fields."""

    model_config = ConfigDict(extra="forbid")

    action: str
    comment: str | None = Field(default=None, max_length=10_000)
    version: Version | None = Field(default=None, description="409 when the resource has moved on")

    def payload(self) -> dict[str, Any]:
        """The fields the client sent besides action, comment and version."""
        return self.model_dump(
            mode="json", exclude={"action", "comment", "version"}, exclude_unset=True
        )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def request_body(machine: Machine[Any]) -> Any:
    """The machine's actions as one discriminated union on `action`, so that the OpenAPI
    document shows every action's fields, and a request is parsed into its action's model."""
    models = []
    for row in machine.transitions:
        bases = (TransitionRequest,) + ((row.payload_model,) if row.payload_model else ())
        models.append(
            create_model(
                f"{_camel(machine.entity_type)}{_camel(row.action)}Request",
                __base__=bases,
                __doc__=f"`{row.action}` on a {machine.entity_type}"
                + (" (a non-blank comment is required)" if row.comment_required else ""),
                action=(Literal[row.action], ...),  # type: ignore[valid-type, arg-type]
            )
        )
    if len(models) == 1:
        return models[0]
    return Annotated[Union[tuple(models)], Field(discriminator="action")]  # noqa: UP007


class BlockingRule(BaseModel):
    rule: str
    message: str


class TransitionOptionPublic(BaseModel):
    action: str
    to: str | list[str]
    # Whether the guards let the caller act now; what the request must carry besides is
    # said by comment_required and payload_schema (so that `allowed` never promises a 422).
    allowed: bool
    blocked_by: list[BlockingRule]
    comment_required: bool = Field(description="A non-blank `comment` must be sent")
    payload_schema: dict[str, Any] | None = Field(
        description="JSON Schema of the fields the action takes besides action, comment "
        "and version (null: none)"
    )


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    from_state: str | None
    to_state: str | None
    actor_id: int | None
    acting_as: str | None
    comment: str | None
    data: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class WorkflowBinding(Generic[E]):
    """How a collection's routes reach its machine."""

    collection: str
    id_name: str
    machine: Machine[Any]
    load: Callable[[Session, Actor, int], E]
    acting_roles: Callable[[Actor, E], frozenset[str]]
    to_public: Callable[[Session, Actor, E], BaseModel]
    # Extra work a domain does around the engine (a payload check, say), if any.
    perform: Callable[..., Any] = perform_transition


def add_workflow_routes(
    router: APIRouter, binding: WorkflowBinding[Any], response_model: type[BaseModel]
) -> None:
    base = f"/{binding.collection}/{{{binding.id_name}}}"
    kind = binding.machine.entity_type
    EntityId = Annotated[Id, Path(alias=binding.id_name)]  # noqa: N806
    ActionRequest = request_body(binding.machine)  # noqa: N806

    def list_transitions(
        entity_id: EntityId,
        session: SessionDep,
        actor: CurrentActor,
        accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> list[TransitionOptionPublic]:
        entity = binding.load(session, actor, entity_id)
        translate = translator(accept_language)
        options = transition_options(
            session,
            machine=binding.machine,
            entity=entity,
            actor=actor,
            acting_roles=binding.acting_roles(actor, entity),
        )
        return [
            TransitionOptionPublic(
                action=o.action,
                to=o.to,
                allowed=o.allowed,
                blocked_by=[
                    BlockingRule(rule=v.rule, message=worded(v.message, translate))
                    for v in o.blocked_by
                ],
                comment_required=o.comment_required,
                payload_schema=o.payload_schema,
            )
            for o in options
        ]

    def take_transition(
        entity_id: EntityId,
        body: ActionRequest,  # type: ignore[valid-type]
        session: SessionDep,
        actor: CurrentActor,
    ) -> Any:
        request: TransitionRequest = body
        entity = binding.load(session, actor, entity_id)
        binding.perform(
            session,
            machine=binding.machine,
            entity=entity,
            actor=actor,
            acting_roles=binding.acting_roles(actor, entity),
            action=request.action,
            comment=request.comment,
            version=request.version,
            payload=request.payload(),
        )
        return binding.to_public(session, actor, entity)

    def events(
        entity_id: EntityId, session: SessionDep, actor: CurrentActor, page: PageDep
    ) -> Page[EventPublic]:
        binding.load(session, actor, entity_id)
        rows, cursor = list_events(session, entity_type=kind, entity_id=entity_id, page=page)
        return Page(items=[EventPublic.model_validate(r) for r in rows], next_cursor=cursor)

    tags: list[str | Any] = [binding.collection]
    router.add_api_route(
        f"{base}/transitions",
        list_transitions,
        methods=["GET"],
        tags=tags,
        response_model=list[TransitionOptionPublic],
        name=f"{kind}_transitions",
        summary=f"Actions the caller could take on this {kind} now",
    )
    router.add_api_route(
        f"{base}/transitions",
        take_transition,
        methods=["POST"],
        tags=tags,
        response_model=response_model,
        name=f"{kind}_transition",
        summary=f"Take an action on this {kind}",
    )
    router.add_api_route(
        f"{base}/events",
        events,
        methods=["GET"],
        tags=tags,
        response_model=Page[EventPublic],
        name=f"{kind}_events",
        summary=f"The audit trail of this {kind}",
    )
