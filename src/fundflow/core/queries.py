"""Small query helpers every domain uses the same way."""

from collections.abc import Mapping
from typing import Any, TypeVar

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
