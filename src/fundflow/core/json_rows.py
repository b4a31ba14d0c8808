"""Child rows as JSON inside their parent's row: one statement for a resource and its lists.

A detail read that loads each child collection with its own query (eager ``selectin``
loads) costs a statement per collection and ORM objects for every row. Here a correlated
subquery aggregates the children to JSON in the database (``json_group_array`` on
SQLite, ``json_agg`` on PostgreSQL), so the parent and all its lists come back in one row;
``JsonList.decode`` turns the text into plain dicts, running each column's own result
processing (money stored as cents on SQLite, say) so values read as they would through
the ORM.
"""

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

Reader = Callable[[Any, Dialect], Any]


class _JsonObject(FunctionElement[Any]):
    """``json_object(k, v, …)`` / ``json_build_object(k, v, …)``."""

    name = "json_object"
    inherit_cache = True


@compiles(_JsonObject)
def _object_sqlite(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(_JsonObject, "postgresql")
def _object_postgresql(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


class _JsonNested(FunctionElement[Any]):
    """A JSON value produced by a subquery, kept as JSON inside another JSON value (SQLite
    forgets that a subquery's text is JSON unless told with ``json()``)."""

    name = "json_nested"
    inherit_cache = True


@compiles(_JsonNested)
def _nested_sqlite(element: _JsonNested, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json({compiler.process(element.clauses, **kw)})"


@compiles(_JsonNested, "postgresql")
def _nested_postgresql(element: _JsonNested, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


class _JsonArrayAgg(FunctionElement[Any]):
    """The aggregate of JSON items, in the order given, ``[]`` for none."""

    name = "json_array_agg"
    inherit_cache = True


@compiles(_JsonArrayAgg)
def _agg_sqlite(element: _JsonArrayAgg, compiler: SQLCompiler, **kw: Any) -> str:
    item, _order = list(element.clauses)
    # SQLite aggregates the rows of an ordered subquery in that order.
    return f"json_group_array(json({compiler.process(item, **kw)}))"


@compiles(_JsonArrayAgg, "postgresql")
def _agg_postgresql(element: _JsonArrayAgg, compiler: SQLCompiler, **kw: Any) -> str:
    item, order = list(element.clauses)
    return (
        f"coalesce(json_agg({compiler.process(item, **kw)} "
        f"ORDER BY {compiler.process(order, **kw)}), '[]'::json)"
    )


class JsonList:
    """The rows of a child table that belong to the current parent row, as a JSON array of
    objects (``fields`` names each key) or of plain values (a single column)."""

    def __init__(
        self,
        fields: Mapping[str, Any] | Any,
        *,
        where: Any,
        order_by: Any,
        select_from: Any = None,
    ) -> None:
        self.fields = fields
        self.where = where
        self.order_by = order_by
        self.select_from = select_from

    def _item(self) -> ColumnElement[Any]:
        if isinstance(self.fields, Mapping):
            pairs: list[Any] = []
            for key, value in self.fields.items():
                pairs += [_key(key), value.column() if isinstance(value, JsonList) else value]
            return _JsonObject(*pairs)
        return _JsonObject(_key("v"), self.fields)

    def column(self) -> ColumnElement[Any]:
        """The correlated subquery giving this list for the enclosing row."""
        inner = sa.select(self._item().label("item"), self.order_by.label("ord")).where(self.where)
        own = self.order_by.table
        if self.select_from is not None:
            inner = inner.select_from(self.select_from)
            own = self.select_from
        # A derived table does not correlate by itself: the parent's columns must stay the
        # enclosing row's, not become a second FROM (every parent's children).
        rows = inner.correlate_except(own).order_by(self.order_by).subquery()
        aggregate = sa.select(_JsonArrayAgg(rows.c.item, rows.c.ord)).scalar_subquery()
        return _JsonNested(aggregate)

    def label(self, name: str) -> ColumnElement[Any]:
        """The list as a text column of the outer statement (decoded by ``decode``)."""
        return sa.cast(self.column(), sa.Text).label(name)

    def decode(self, text: str | None, dialect: Dialect) -> list[Any]:
        items = json.loads(text or "[]", parse_float=Decimal)
        return [self._decode_item(item, dialect) for item in items]

    def _decode_item(self, item: Any, dialect: Dialect) -> Any:
        if not isinstance(self.fields, Mapping):
            reader = _reader(self.fields)
            value = item["v"]
            return value if reader is None or value is None else reader(value, dialect)
        decoded = {}
        for key, nested, reader in self._plan:
            value = item[key]
            if nested is not None:
                decoded[key] = [nested._decode_item(child, dialect) for child in value]
            elif reader is None or value is None:
                decoded[key] = value
            else:
                decoded[key] = reader(value, dialect)
        return decoded

    @cached_property
    def _plan(self) -> list[tuple[str, "JsonList | None", Reader | None]]:
        """Per key: a nested list, or how the column's type reads a stored value back."""
        assert isinstance(self.fields, Mapping)
        return [
            (key, field, None) if isinstance(field, JsonList) else (key, None, _reader(field))
            for key, field in self.fields.items()
        ]


def _reader(column: ColumnElement[Any]) -> Reader | None:
    """How the column's type reads a stored value back (cents to a Decimal on SQLite…), or
    None when values read back as stored."""
    kind = column.type
    if not isinstance(kind, sa.types.TypeDecorator):
        return None
    if type(kind).process_result_value is sa.types.TypeDecorator.process_result_value:
        return None
    return kind.process_result_value


def _key(name: str) -> ColumnElement[Any]:
    # A literal in the SQL text, not a parameter: PostgreSQL cannot type a bound key.
    assert name.isidentifier()
    return sa.literal_column(f"'{name}'")
