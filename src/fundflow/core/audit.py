from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, json_field


class Event(SQLModel, table=True):
    """Append-only audit trail: every state change and money movement, with who and why."""

    __table_args__ = (sa.Index("ix_event_entity", "entity_type", "entity_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(max_length=40)
    entity_id: int
    action: str = Field(max_length=60)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str | None = Field(default=None, max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    # The roles the actor acted in, e.g. the secretariat confirming on a funder's behalf.
    acting_as: str | None = Field(default=None, max_length=40)
    comment: str | None = None
    data: dict[str, Any] = json_field(default_factory=dict)
    created_at: datetime = created_at_field()
