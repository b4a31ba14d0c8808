"""Keyset pagination: ``{"items": [...], "next_cursor": ...}`` ordered by id.

The cursor is opaque to clients (base64 of the last id seen), so the order key can grow
later without breaking them.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select
from sqlmodel import Session

from fundflow.core.errors import InvalidInput
from fundflow.core.inputs import MAX_ID

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class PageParams(BaseModel):
    limit: int = DEFAULT_LIMIT
    after_id: int | None = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidInput("The cursor is not one this service issued.") from None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        raise InvalidInput("The cursor is not one this service issued.")
    return after


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> PageParams:
    return PageParams(limit=limit, after_id=decode_cursor(cursor) if cursor else None)


PageDep = Annotated[PageParams, Depends(page_params)]


def fetch_page(
    session: Session,
    stmt: Select[Any],
    id_column: Any,
    params: PageParams,
    *,
    whole_rows: bool = False,
    id_of: Callable[[Any], int] = attrgetter("id"),
) -> tuple[Sequence[Any], str | None]:
    """Run ``stmt`` for one page; one query whatever the page size. Its first column (or
    every column, ``whole_rows``) per row; ``id_of`` finds a row's id for the cursor."""
    if params.after_id is not None:
        stmt = stmt.where(id_column > params.after_id)
    paged = stmt.order_by(id_column).limit(params.limit + 1)
    rows = (session.execute(paged) if whole_rows else session.scalars(paged)).all()
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        return rows, encode_cursor(id_of(rows[-1]))
    return rows, None
