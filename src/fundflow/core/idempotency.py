"""``Idempotency-Key`` on creating POSTs: a retry returns the first answer, creates nothing.

The key is claimed in the request's own transaction before the work is done, so two
concurrent requests with one key cannot both create: the second waits on the unique
constraint and is told to retry.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa
from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, DomainError, InvalidInput
from fundflow.core.idempotency_models import IdempotencyRecord

M = TypeVar("M", bound=BaseModel)


class IdempotentReplay(DomainError):
    """Not an error: carries the stored first answer back to the client.

    It holds plain values, not the row: raising it ends the request's transaction, after
    which the row could no longer be read."""

    status = 200

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__("replayed")
        self.status_code = record.status_code
        self.response = dict(record.response)


class StillInFlight(Conflict):
    """The first request with this key has not finished; its answer is not known yet."""

    retry_after_seconds = 1


class Idempotency:
    def __init__(
        self, session: Session, actor: Actor, request: Request, key: str | None, body: bytes
    ) -> None:
        self.session = session
        self.actor = actor
        self.key = key
        self.method = request.method
        self.path = request.url.path
        self.request_hash = hashlib.sha256(body).hexdigest()

    def once(self, create: Callable[[], M], *, status_code: int = 201) -> M:
        """Run ``create`` unless this key already has an answer, which is replayed."""
        if self.key is None:
            return create()
        self._replay_if_answered()
        assert self.actor.id is not None, "an Idempotency-Key belongs to a signed-in person"
        record = IdempotencyRecord(
            user_id=self.actor.id,
            key=self.key,
            method=self.method,
            path=self.path,
            request_hash=self.request_hash,
            status_code=status_code,
        )
        try:
            with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError:
            # On PostgreSQL the insert waited for the first request's transaction: if it
            # committed, its answer is there now.
            self._replay_if_answered()
            raise StillInFlight(
                "A request with this Idempotency-Key is still being processed; retry shortly."
            ) from None
        result = create()
        record.response = result.model_dump(mode="json")
        self.session.add(record)
        return result

    def _replay_if_answered(self) -> None:
        existing = self.session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == self.actor.id, IdempotencyRecord.key == self.key
            )
        ).first()
        if existing is None:
            return
        if (existing.method, existing.path, existing.request_hash) != (
            self.method,
            self.path,
            self.request_hash,
        ):
            raise InvalidInput(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new request."
            )
        raise IdempotentReplay(existing)


def purge_expired(session: Session, *, older_than: timedelta) -> int:
    """Forget answers kept for retries once no client would still retry."""
    result = session.execute(
        sa.delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < utcnow() - older_than  # type: ignore[arg-type]
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
