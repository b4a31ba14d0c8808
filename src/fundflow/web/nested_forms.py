"""Lists of rows in plain HTML forms: budget lines, financing lines, outcomes and their
indicators, without JavaScript.

A field's name is its path in the content, parts joined by ``-``: ``budget_lines-2-amount``,
``logframe-outcomes-0-indicators-1-target``. The form comes back as the nested content the
domain's models validate, and a validation error's location becomes the name of the field
it is about, so the error summary links to it. "Add another" and "remove" are submit
buttons (``_add`` with a list's path, ``_remove`` with a row's): the page comes back with
the row added or gone and everything typed kept, nothing saved yet.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from fundflow.core.messages import N_
from fundflow.web.forms import FormErrors

SEPARATOR = "-"
ADD = "_add"
REMOVE = "_remove"
# Form fields that are not content.
_CONTROLS = {"csrftoken", "version", ADD, REMOVE, "_save"}


class Row(dict[Any, Any]):
    """A group of the form's fields: a field not there reads as blank (a new row has none)."""

    def __missing__(self, key: Any) -> str:
        return ""


Nested = Row


def as_rows(node: Any) -> Any:
    """``node`` with every dict in it a ``Row``, for the templates."""
    if isinstance(node, dict):
        return Row({key: as_rows(value) for key, value in node.items()})
    if isinstance(node, list):
        return [as_rows(item) for item in node]
    return node


def _key(part: str) -> str | int:
    return int(part) if part.isdigit() else part


def _as_lists(node: Any) -> Any:
    """Dicts keyed by row numbers become lists, in their rows' order."""
    if not isinstance(node, dict):
        return node
    converted = {key: _as_lists(value) for key, value in node.items()}
    if converted and all(isinstance(key, int) for key in converted):
        return [converted[key] for key in sorted(converted)]
    return converted


def parse(form: Iterable[tuple[str, Any]], prefix: str = "") -> Nested:
    """The form's fields under ``prefix``, nested; blank answers are left out (not given).
    A name sent more than once (checkboxes) gives a list."""
    tree: dict[Any, Any] = {}
    for name, raw in form:
        if name in _CONTROLS or not isinstance(raw, str):
            continue
        if prefix and not name.startswith(prefix + SEPARATOR) and name != prefix:
            continue
        value = raw.strip()
        parts = [_key(p) for p in name.split(SEPARATOR)]
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):  # a name both a value and a group: ignore it
                break
        else:
            last = parts[-1]
            if last in node and value:
                previous = node[last]
                node[last] = [*previous, value] if isinstance(previous, list) else [previous, value]
            elif value or last not in node:
                node[last] = value
    return as_rows(_as_lists(_without_blanks(tree)))


def _without_blanks(node: Any) -> Any:
    if isinstance(node, dict):
        kept = {key: _without_blanks(value) for key, value in node.items()}
        return {key: value for key, value in kept.items() if value not in ("", None, {})}
    return node


def _path(name: str) -> list[str | int]:
    return [_key(part) for part in name.split(SEPARATOR)] if name else []


def _at(tree: Any, path: list[str | int], create: bool) -> Any:
    node = tree
    for position, part in enumerate(path):
        if isinstance(node, dict):
            if part not in node:
                if not create:
                    return None
                # A list at the end of the path (rows are added to it), a group before.
                node[part] = [] if position == len(path) - 1 else Row()
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def add_or_remove(tree: Nested, form: Mapping[str, Any]) -> bool:
    """Applies the add or remove button the person pressed, if any; True if one was."""
    if adding := form.get(ADD):
        rows = _at(tree, _path(str(adding)), create=True)
        if isinstance(rows, list):
            rows.append(Row())
        return True
    if removing := form.get(REMOVE):
        path = _path(str(removing))
        rows = _at(tree, path[:-1], create=False)
        if isinstance(rows, list) and isinstance(path[-1], int) and path[-1] < len(rows):
            del rows[path[-1]]
        return True
    return False


def rows(tree: Any, name: str) -> list[Any]:
    """The rows of the list at ``name`` (for the template), at least none."""
    found = _at(tree, _path(name), create=False)
    return found if isinstance(found, list) else []


def value(tree: Any, name: str) -> Any:
    """What the form holds at ``name``, as typed or as saved; blank when nothing."""
    found = _at(tree, _path(name), create=False)
    return "" if found is None else found


# What people read for each kind of problem pydantic finds; the catalogue translates it.
_MESSAGES = {
    "missing": N_("This answer is required."),
    "string_too_short": N_("This answer is required."),
    "string_too_long": N_("This answer is too long."),
    "decimal_parsing": N_("Enter an amount in figures, such as 1200.50."),
    "decimal_type": N_("Enter an amount in figures, such as 1200.50."),
    "decimal_max_places": N_("Enter an amount with at most two decimals."),
    "decimal_max_digits": N_("This amount is too large."),
    "greater_than_equal": N_("Enter a number that is not negative."),
    "greater_than": N_("Enter a number above zero."),
    "less_than_equal": N_("This number is too large."),
    "int_parsing": N_("Enter a whole number, such as 2026."),
    "date_from_datetime_parsing": N_("Enter a date, such as 2027-03-01."),
    "date_parsing": N_("Enter a date, such as 2027-03-01."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "bool_parsing": N_("Choose yes or no."),
    "too_long": N_("There are too many rows here."),
}


def errors_of(
    error: ValidationError, fields: Mapping[str, str] | None = None, prefix: str = ""
) -> FormErrors:
    """A validation error as the form's errors: each one on the field it is about (its
    name under ``prefix``). ``fields`` names the field a whole-model rule falls on, with
    its message (``{"end_date": ...}``)."""
    errors = FormErrors()
    for item in error.errors():
        loc = ([prefix] if prefix else []) + [str(part) for part in item["loc"] if part != "body"]
        name = SEPARATOR.join(loc)
        message = _MESSAGES.get(item["type"])
        if message is None:
            text = str(item.get("msg", ""))
            known = {key: value for key, value in (fields or {}).items() if key in text}
            if known:
                name, message = next(iter(known.items()))
            else:
                message = N_("Check this answer.")
        errors.add(name or "contenu", message)
    return errors
