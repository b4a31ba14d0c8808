"""An action of a state machine as a form: its fields read from the JSON Schema of the
action's payload, the same schema ``GET …/transitions`` publishes, so a page never lists
an action or a field the transition table does not declare; and the form, once sent,
taken through the same engine as ``POST …/transitions``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData

from fundflow.core.errors import Conflict, InvalidInput, RuleViolation
from fundflow.core.messages import N_
from fundflow.core.transitions import TransitionOption, transition_options
from fundflow.core.workflow import Machine
from fundflow.web.changes import act, form_version
from fundflow.web.deps import SignedInViewer
from fundflow.web.forms import FormErrors


@dataclass(frozen=True)
class ActionField:
    name: str
    kind: str  # "choice", "lines", "number", "integer", "boolean" or "text"
    required: bool
    choices: tuple[str, ...] = ()


def _resolved(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    if "$ref" in schema:
        return defs[str(schema["$ref"]).rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [_resolved(o, defs) for o in schema[key] if o.get("type") != "null"]
            numeric = [o for o in options if o.get("type") in ("number", "integer")]
            return numeric[0] if numeric else options[0]
    return schema


def fields_of(schema: Mapping[str, Any] | None, offered: Iterable[str] = ()) -> list[ActionField]:
    """The payload's fields; with ``offered`` (the choices open to this entity), only
    those choices, and only the fields whose ``x-outcomes`` name one of them."""
    if not schema:
        return []
    offered = tuple(offered)
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    fields = []
    for name, raw in schema.get("properties", {}).items():
        if offered and "x-outcomes" in raw and not set(raw["x-outcomes"]) & set(offered):
            continue
        prop = _resolved(raw, defs)
        if "enum" in prop:
            values = [str(v) for v in prop["enum"]]
            narrowed = [v for v in values if v in offered]
            kind, choices = "choice", tuple(narrowed or values)
        else:
            kind = {
                "array": "lines",
                "number": "number",
                "integer": "integer",
                "boolean": "boolean",
            }.get(str(prop.get("type")), "text")
            choices = ()
        fields.append(ActionField(name, kind, name in required, choices))
    return fields


def payload_of(fields: list[ActionField], form: FormData) -> dict[str, Any]:
    """What the form carries for the action's fields; a blank field is not sent."""
    payload: dict[str, Any] = {}
    for field in fields:
        raw = form.get(field.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if field.kind == "lines":
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            if lines:
                payload[field.name] = lines
        elif field.kind == "boolean":
            payload[field.name] = value == "1"
        elif value:
            payload[field.name] = value
    return payload


@dataclass(frozen=True)
class ActionForm:
    """An action open now, with the fields its payload asks for."""

    option: TransitionOption
    fields: list[ActionField]


def action_forms(
    session: Session,
    viewer: SignedInViewer,
    *,
    machine: Machine[Any],
    entity: Any,
    acting_roles: Iterable[str],
    leaving_out: Iterable[str] = (),
) -> list[ActionForm]:
    """The actions the person could take now on ``entity``, each with what blocks it, as
    ``GET …/transitions`` lists them (``leaving_out`` those the page offers otherwise)."""
    skipped = set(leaving_out)
    options = transition_options(
        session, machine=machine, entity=entity, actor=viewer.actor, acting_roles=acting_roles
    )
    return [
        ActionForm(option, fields_of(option.payload_schema, option.choices))
        for option in options
        if option.action not in skipped
    ]


@dataclass
class Taken:
    action: str
    errors: FormErrors
    typed: dict[str, Any]


def take_action(
    session: Session,
    viewer: SignedInViewer,
    *,
    machine: Machine[Any],
    entity: Any,
    acting_roles: Iterable[str],
    form: FormData,
    prefix: str = "",
) -> Taken:
    """The action a form asks for, through the transition engine as the API takes it; what
    refuses it is put on the form's fields (``{prefix}{action}-{field}``, the prefix
    telling apart forms of several entities on one page), and nothing is changed."""
    action = str(form.get("action") or "")
    row = machine.get(action)
    schema = row.payload_model.model_json_schema() if row.payload_model else None
    fields = fields_of(schema)
    payload = payload_of(fields, form)
    # A guard named after a field of the payload is said on that field.
    on_field = {field.name for field in fields} | {"comment"}
    comment = form.get("comment")
    errors = FormErrors()
    try:
        act(
            session,
            viewer,
            machine=machine,
            entity=entity,
            acting_roles=acting_roles,
            action=action,
            comment=comment if isinstance(comment, str) else None,
            # The version the page was shown with: 409 if someone acted meanwhile.
            version=form_version(form) if "version" in form else None,
            payload=payload,
        )
    except RuleViolation as refused:
        for item in refused.errors:
            rule = "comment" if item.get("rule") == "comment_required" else item.get("rule")
            field = rule if rule in on_field else "action"
            errors.add(f"{prefix}{action}-{field}", item.get("message", ""))
    except Conflict:
        session.refresh(entity)
        errors.add(
            f"{prefix}{action}-action", N_("Someone acted on this meanwhile: see where it is now.")
        )
    except InvalidInput as invalid:
        for item in invalid.errors or [{"loc": ["body", "action"], "message": invalid.detail}]:
            loc = [str(part) for part in item.get("loc", []) if part != "body"]
            errors.add(f"{prefix}{action}-{loc[0] if loc else 'action'}", item.get("message", ""))
    typed = {"action": action, "comment": comment} | payload if errors else {}
    return Taken(action, errors, typed)
