"""An action of a state machine as a form: its fields read from the JSON Schema of the
action's payload, the same schema ``GET …/transitions`` publishes, so a page never lists
an action or a field the transition table does not declare.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData


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


def fields_of(schema: Mapping[str, Any] | None) -> list[ActionField]:
    if not schema:
        return []
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    fields = []
    for name, raw in schema.get("properties", {}).items():
        prop = _resolved(raw, defs)
        if "enum" in prop:
            kind, choices = "choice", tuple(str(v) for v in prop["enum"])
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
