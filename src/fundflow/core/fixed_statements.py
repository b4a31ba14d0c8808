"""Statements whose shape never changes, compiled to SQL text once per database.

Executing a statement object makes SQLAlchemy build it and walk its whole tree for the
cache key on every call; for the reads every request makes (the caller, a resource with
its lists as nested JSON subqueries) that costs more than the database's work. A
``FixedSelect`` is built once per dialect, its values left as named parameters, and runs
as text with typed parameters and typed result columns: the same SQL, the same bind and
result processing, none of the walk.
"""

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import Subquery, TextualSelect
from sqlalchemy.types import TypeEngine


def _marker(name: str) -> str:
    assert name.isidentifier()
    return f"__fundflow_param_{name}__"


def param(name: str, type_: TypeEngine[Any] | type[TypeEngine[Any]] | None = None) -> Any:
    """Where the value of parameter ``name`` goes in a fixed statement's SQL."""
    return sa.literal_column(_marker(name), type_)


class FixedSelect:
    """A select built by ``build`` from ``param`` placeholders; ``params`` gives each
    parameter's type (how its value is sent)."""

    def __init__(
        self,
        build: Callable[[], sa.Select[Any]],
        params: Mapping[str, TypeEngine[Any] | type[TypeEngine[Any]]],
    ) -> None:
        self._build = build
        self._params = params
        self._statements: dict[str, TextualSelect] = {}
        self._subqueries: dict[str, Subquery] = {}

    def statement(self, dialect: Dialect) -> TextualSelect:
        statement = self._statements.get(dialect.name)
        if statement is None:
            statement = self._compile(dialect)
            self._statements[dialect.name] = statement
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

    def _compile(self, dialect: Dialect) -> TextualSelect:
        select = self._build()
        sql = str(select.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for name in self._params:
            assert _marker(name) in sql, f"parameter {name} is not in the statement"
            sql = sql.replace(_marker(name), f":{name}")
        text: TextClause = sa.text(sql).bindparams(
            *(sa.bindparam(name, type_=kind) for name, kind in self._params.items())
        )
        return text.columns(*(sa.column(str(c.key), c.type) for c in select.selected_columns))
