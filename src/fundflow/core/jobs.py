"""The daily jobs (`remind`, `tick`, `db purge`) run by cron on one or several hosts.

On PostgreSQL each job holds an advisory lock for as long as it runs, so that two hosts
started by the same schedule cannot both do the work: the second finds the lock taken and
stops. The lock is the database's, tied to the connection: a host that dies mid-job frees
it. Each job is also idempotent over a day by its own data (a reminder is recorded once per
report and day, a project ends once), so a job run again after the first finished, by
hand or by a second schedule, does nothing twice. SQLite is one host's file: no lock.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def lock_key(job: str) -> int:
    """A stable signed 64-bit key per job name (what pg_advisory_lock takes)."""
    digest = hashlib.sha256(f"fundflow job {job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def exclusive(engine: Engine, job: str) -> Iterator[bool]:
    """True if this process is the one running ``job`` now, False if another host is."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(job)
    with engine.connect() as connection:
        taken = connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar()
        connection.commit()
        if not taken:
            yield False
            return
        try:
            yield True
        finally:
            # A pooled connection outlives this block: the lock must be let go explicitly.
            connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            connection.commit()
