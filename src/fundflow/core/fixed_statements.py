"""Statements whose shape never changes, compiled once per database and run on the driver.

Executing a statement object makes SQLAlchemy build it and walk its whole tree for the
cache key on every call, then set up an execution context and a result's metadata; for
the reads every request makes (the caller, a resource with its lists as nested JSON
subqueries) that costs several times the database's own work. A ``FixedSelect`` is built
once per database (and per shape of the caller, for a statement that says who may see
what), its values left as named parameters, and runs on the driver's cursor with the
same bind and result processing SQLAlchemy would apply, and the same engine events (the
read-only guard, statement counters).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import Subquery, TextualSelect
from sqlalchemy.types import TypeEngine

from fundflow.core.actor import Actor
from fundflow.core.pagination import PageParams, encode_cursor

ParamTypes = Mapping[str, TypeEngine[Any] | type[TypeEngine[Any]]]


def _marker(name: str) -> str:
    assert name.isidentifier()
    return f"__fundflow_param_{name}__"


def param(name: str, type_: TypeEngine[Any] | type[TypeEngine[Any]] | None = None) -> Any:
    """Where the value of parameter ``name`` goes in a fixed statement's SQL."""
    return sa.literal_column(_marker(name), type_)


# The caller's values a visibility rule compares with: parameters of a statement built for
# every caller of the same shape.
VIEWER_PARAMS: ParamTypes = {
    "viewer_id": sa.Integer(),
    "viewer_organisation_id": sa.Integer(),
    "viewer_funder_id": sa.Integer(),
}
ViewerShape = tuple[frozenset[str], bool, bool]
# The key of a statement that shows everything, for the service's own reads.
ANYONE = "anyone"


def viewer_shape(actor: Actor) -> ViewerShape:
    """What decides a visibility rule's SQL: the roles, and which links the caller has."""
    return actor.roles, actor.organisation_id is not None, actor.funder_id is not None


def viewer_placeholder(shape: ViewerShape) -> Actor:
    """An actor of ``shape`` whose ids are parameters: a visibility rule given it writes
    the SQL for every caller of that shape (the rule itself stays the one in policies)."""
    roles, has_organisation, has_funder = shape
    return Actor(
        id=cast(int, param("viewer_id")),
        roles=roles,
        organisation_id=cast(int, param("viewer_organisation_id")) if has_organisation else None,
        funder_id=cast(int, param("viewer_funder_id")) if has_funder else None,
    )


def viewer_values(actor: Actor) -> dict[str, Any]:
    return {
        "viewer_id": actor.id,
        "viewer_organisation_id": actor.organisation_id,
        "viewer_funder_id": actor.funder_id,
    }


@dataclass(frozen=True)
class _Prepared:
    """A statement as its driver takes it: SQL text, parameters in order (or by name) with
    their bind processors, and each result column's name and result processor."""

    sql: str
    positions: Sequence[str] | None
    binds: Mapping[str, Callable[[Any], Any]]
    names: tuple[str, ...]
    readers: tuple[Callable[[Any], Any] | None, ...]

    def parameters(self, values: Mapping[str, Any]) -> Any:
        def bound(name: str) -> Any:
            value = values[name]
            process = self.binds.get(name)
            return value if process is None or value is None else process(value)

        if self.positions is not None:
            return tuple(bound(name) for name in self.positions)
        return {name: bound(name) for name in values}


class FixedSelect:
    """A select built by ``build`` from ``param`` placeholders; ``params`` gives each
    parameter's type (how its value is sent). ``build`` takes a key when the statement
    has several shapes (one per kind of caller, say): each is compiled once."""

    def __init__(self, build: Callable[..., sa.Select[Any]], params: ParamTypes) -> None:
        self._build = build
        self._params = params
        self._statements: dict[tuple[str, Any], TextualSelect] = {}
        self._subqueries: dict[str, Subquery] = {}
        self._prepared: dict[tuple[str, Any], _Prepared] = {}

    def statement(self, dialect: Dialect, key: Any = None) -> TextualSelect:
        statement = self._statements.get((dialect.name, key))
        if statement is None:
            statement = self._compile(dialect, key)
            self._statements[(dialect.name, key)] = statement
        return statement

    def subquery(self, dialect: Dialect) -> Subquery:
        """The statement as a table to select from, under the name ``fixed``: a condition
        on its columns filters the rows before their lists are built (both databases
        merge such a subquery into the outer statement)."""
        subquery = self._subqueries.get(dialect.name)
        if subquery is None:
            # Kept: a subquery builds its column collection anew for every new object.
            subquery = self.statement(dialect).subquery("fixed")
            self._subqueries[dialect.name] = subquery
        return subquery

    def rows(
        self, connection: sa.Connection, values: Mapping[str, Any], key: Any = None
    ) -> list[dict[str, Any]]:
        """The statement's rows, each a dict by column name, read on ``connection``'s own
        driver connection (inside its transaction, if it has one)."""
        dialect = connection.dialect
        prepared = self._prepared.get((dialect.name, key))
        if prepared is None:
            prepared = self._prepare(dialect, key)
            self._prepared[(dialect.name, key)] = prepared
        parameters = prepared.parameters(values)
        # The engine's hooks see the statement as they see any other.
        connection.dispatch.before_cursor_execute(
            connection, None, prepared.sql, parameters, None, False
        )
        cursor = connection.connection.cursor()
        try:
            cursor.execute(prepared.sql, parameters)
            fetched = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            raise sa.exc.DBAPIError.instance(
                prepared.sql, parameters, error, dialect.loaded_dbapi.Error, hide_parameters=True
            ) from error
        finally:
            cursor.close()
        names, readers = prepared.names, prepared.readers
        return [
            {
                name: value if read is None or value is None else read(value)
                for name, read, value in zip(names, readers, row, strict=True)
            }
            for row in fetched
        ]

    def _compile(self, dialect: Dialect, key: Any) -> TextualSelect:
        select = self._build() if key is None else self._build(key)
        sql = str(select.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        used = {name: kind for name, kind in self._params.items() if _marker(name) in sql}
        for name in used:
            sql = sql.replace(_marker(name), f":{name}")
        assert "__fundflow_param_" not in sql, f"a parameter of {sql!r} has no type"
        text: TextClause = sa.text(sql).bindparams(
            *(sa.bindparam(name, type_=kind) for name, kind in used.items())
        )
        return text.columns(*(sa.column(str(c.key), c.type) for c in select.selected_columns))

    def _prepare(self, dialect: Dialect, key: Any) -> _Prepared:
        statement = self.statement(dialect, key)
        compiled = statement.compile(dialect=dialect)
        binds = {
            name: process
            for name, bind in compiled.binds.items()
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        columns = list(statement.selected_columns)
        return _Prepared(
            sql=compiled.string,
            positions=compiled.positiontup,
            binds=binds,
            names=tuple(str(c.key) for c in columns),
            readers=tuple(
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
            ),
        )


class VisibleById:
    """One row by its id, if the caller may see it: ``build`` makes the select from the
    condition on the row's table (its id, and the ``visibility`` rule written for a
    placeholder caller), compiled once per database and shape of caller."""

    def __init__(
        self,
        build: Callable[[sa.ColumnElement[bool]], sa.Select[Any]],
        id_column: Any,
        visibility: Callable[[Actor], sa.ColumnElement[bool]],
    ) -> None:
        self._build = build
        self._id_column = id_column
        self._visibility = visibility
        self._statement = FixedSelect(self._select, params={"id": sa.Integer(), **VIEWER_PARAMS})

    def _select(self, shape: ViewerShape | str) -> sa.Select[Any]:
        condition = self._id_column == param("id")
        if not isinstance(shape, str):
            condition = sa.and_(condition, self._visibility(viewer_placeholder(shape)))
        return self._build(condition)

    def row(
        self, connection: sa.Connection, row_id: int, viewer: Actor | None
    ) -> dict[str, Any] | None:
        """The row, or None when there is none or ``viewer`` may not see it (no viewer:
        the service's own read, which sees everything)."""
        rows = self._statement.rows(
            connection,
            {"id": row_id, **(viewer_values(viewer) if viewer else {})},
            key=viewer_shape(viewer) if viewer else ANYONE,
        )
        return rows[0] if rows else None


class VisiblePage:
    """A page of rows the caller may see, in id order, after a cursor: ``build`` makes the
    select from a placeholder caller and the filters given (each a ``param`` of its name),
    compiled once per database, shape of caller, set of filters given and first or later
    page. ``filters`` gives each filter's type."""

    def __init__(
        self,
        build: Callable[[Actor, Mapping[str, Any]], sa.Select[Any]],
        id_column: Any,
        filters: ParamTypes,
    ) -> None:
        self._build = build
        self._id_column = id_column
        self._filters = filters
        self._statement = FixedSelect(
            self._select,
            params={**VIEWER_PARAMS, **filters, "after_id": sa.Integer(), "rows": sa.Integer()},
        )

    def _select(self, key: tuple[ViewerShape, frozenset[str], bool]) -> sa.Select[Any]:
        shape, given, after = key
        select = self._build(
            viewer_placeholder(shape), {name: param(name) for name in sorted(given)}
        )
        if after:
            select = select.where(self._id_column > param("after_id"))
        return select.order_by(self._id_column).limit(param("rows"))

    def rows(
        self,
        connection: sa.Connection,
        viewer: Actor,
        filters: Mapping[str, Any],
        page: PageParams,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The page's rows (each a dict by column name, an ``id`` among them) and the
        cursor of the next page, if there is one; filters given as None are not applied."""
        given = {name: value for name, value in filters.items() if value is not None}
        assert given.keys() <= self._filters.keys(), f"unknown filter in {list(given)}"
        values = {**viewer_values(viewer), **given, "rows": page.limit + 1}
        if page.after_id is not None:
            values["after_id"] = page.after_id
        key = (viewer_shape(viewer), frozenset(given), page.after_id is not None)
        rows = self._statement.rows(connection, values, key=key)
        if len(rows) > page.limit:
            rows = rows[: page.limit]
            return rows, encode_cursor(rows[-1]["id"])
        return rows, None
