"""Small query helpers every domain uses the same way."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select
from sqlmodel import Session, col, select

from fundflow.core.errors import not_found

T = TypeVar("T")


def get_visible(
    session: Session, model: type[T], entity_id: int, visibility: ColumnElement[bool], kind: str
) -> T:
    """The row if the caller may see it; otherwise 404, whether it exists or not."""
    row = session.exec(
        select(model).where(col(model.id) == entity_id, visibility)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise not_found(kind, entity_id)
    return row


def where_given(stmt: Select[Any], filters: Mapping[Any, Any]) -> Select[Any]:
    """Add ``column == value`` for every filter the client actually gave."""
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


def sums_by(session: Session, key: Any, value: Any, *where: Any) -> dict[Any, Decimal]:
    """``SUM(value)`` per ``key`` in one grouped query (an absent sum reads as 0.00)."""
    return {
        k: v or Decimal("0.00")
        for k, v in session.execute(
            sa.select(key, sa.func.sum(value)).where(*where).group_by(key)
        ).all()
    }


def names_by_id(session: Session, key: Any, name: Any, ids: Iterable[int]) -> dict[int, str]:
    """``name`` by ``key`` for ``ids``, in one statement (none when there is none to name)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(session.execute(sa.select(col(key), col(name)).where(col(key).in_(wanted))).all())  # type: ignore[arg-type]
