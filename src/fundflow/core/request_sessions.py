"""Each request's session: one transaction for a writer, autocommit reads for the
others; the writers' turn on SQLite, as many sessions at once as their pool has
connections, and where blocking work on a session runs (``run_on``)."""

import asyncio
import functools
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from typing import ParamSpec, TypeVar

import anyio
from fastapi import Request
from sqlalchemy.engine import Engine
from sqlalchemy.util import greenlet_spawn
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from fundflow.core.database import (
    POOL_OVERFLOW,
    POOL_SIZE,
    SAFE_METHODS,
    get_engine,
    is_sqlite,
    on_the_loop,
    only_reads,
    reading,
    reading_on_the_loop,
)
from fundflow.core.routing import is_quick_read

# Per event loop: a test client runs each request in a loop of its own; a server, one.
_write_turns: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = (
    weakref.WeakKeyDictionary()
)
_Slots = dict[str, asyncio.Semaphore]  # by pool
_connection_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Slots]" = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def write_turn(engine: Engine) -> AsyncIterator[None]:
    """On SQLite, one writing request of this process at a time, waiting on the event loop."""
    if not is_sqlite(engine):
        yield
        return
    loop = asyncio.get_running_loop()
    async with _write_turns.setdefault(loop, asyncio.Lock()):
        yield


@asynccontextmanager
async def connection_slot(pool: str = "read") -> AsyncIterator[None]:
    """As many sessions at once as their pool (the writers', the readers' in threads, the
    readers' on the loop) has connections, the others waiting their turn on the loop."""
    slots = _connection_slots.setdefault(asyncio.get_running_loop(), {})
    slot = slots.get(pool)
    if slot is None:
        slot = slots[pool] = asyncio.Semaphore(POOL_SIZE + POOL_OVERFLOW)
    async with slot:
        yield


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


P = ParamSpec("P")
T = TypeVar("T")


async def run_on(session: Session, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``work`` on ``session``, on the event loop when the session reads there (a quick
    read, ``reading_on_the_loop``; on SQLite any read), else in a worker thread. A short
    read costs less than the hop to a thread and back, which under load costs more than
    the read itself; a read never waits for a lock (autocommit reads under WAL on SQLite,
    under MVCC on PostgreSQL), and on PostgreSQL its waits for the server are the loop's
    (``greenlet_spawn``). A writer may wait for SQLite's write lock: never on the loop."""
    if on_the_loop(session):
        return await greenlet_spawn(functools.partial(work, *args, **kwargs))  # type: ignore[no-any-return]
    if only_reads(session) and is_sqlite(session.get_bind()):  # type: ignore[arg-type]
        return work(*args, **kwargs)
    return await run_in_threadpool(work, *args, **kwargs)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed after the handler, rolled back on error.
    Safe methods read only; the others write, one at a time per process on SQLite."""
    engine = get_engine()
    writes = request.method not in SAFE_METHODS
    quick = not writes and is_quick_read(request.scope)
    # A slot per pool: on SQLite the quick reads share the readers' pool, and a session
    # waiting on the loop for a connection that only the loop can give back would wait
    # for ever.
    pool = "write" if writes else "loop" if quick and not is_sqlite(engine) else "read"
    # The turn before the slot: a writer waiting for its turn holds no connection.
    async with write_turn(engine) if writes else nullcontext(), connection_slot(pool):
        if not writes:
            session = Session(
                reading_on_the_loop(engine) if quick else reading(engine),
                expire_on_commit=False,
            )
            # Nothing to commit or roll back in autocommit: closing only hands the
            # connection back to the pool, without a round trip, so without a thread.
            try:
                yield session
            finally:
                if on_the_loop(session):
                    await greenlet_spawn(session.close)
                else:
                    session.close()
            return
        session = Session(engine, expire_on_commit=False)
        async with _ending(session):
            yield session


@asynccontextmanager
async def _ending(session: Session) -> AsyncIterator[None]:
    committed = False
    try:
        yield
        committed = True
    finally:
        # Shielded: a client that hangs up must not leave a transaction (and on SQLite
        # the write lock) open behind it.
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_end, session, commit=committed)
