from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, json_field


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a creating POST, replayed when the client retries with its key."""

    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    key: str = Field(max_length=200)
    method: str = Field(max_length=10)
    path: str = Field(max_length=300)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = json_field(default_factory=dict)
    created_at: datetime = created_at_field()
