"""Engine, sessions and the "is the schema migrated?" check.

A request's session runs its statements in worker threads, one step at a time; between
steps it holds its connection (and, writing on SQLite, the write lock) without a thread.
Were requests to wait for a connection or for the lock inside worker threads, once every
thread waited, the holders would find no thread left to finish in, and everything would
stop until a timeout. So requests wait on the event loop instead, before they start: for
one of the pool's connections, and on SQLite, writers for their turn.

A request that only reads runs each statement on its own, on a pool of connections kept in
autocommit (see ``reading``); on SQLite, WAL lets it read beside a writer. A request that
writes has one transaction, and on SQLite takes the write lock up front
(``BEGIN IMMEDIATE``).
"""

import json
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import Depends
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Session

from fundflow.core.config import get_settings

# An editable install (make run, make test) finds the migrations beside src/; an image
# built from deploy/ runs from the project folder.
_SOURCE_TREE = Path(__file__).resolve().parents[3]
MIGRATIONS_DIR = (
    _SOURCE_TREE / "migrations"
    if (_SOURCE_TREE / "migrations").is_dir()
    else Path.cwd() / "migrations"
)


READ_ONLY = "fundflow_read_only"
ON_THE_LOOP = "fundflow_on_the_loop"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Every connection the process may use is kept open: an overflow connection would be
# opened and closed again around each request beyond the pool, a cost on every busy second.
# Two pools of this size, one for reads and one for writes (see ``reading``).
POOL_SIZE = 10
POOL_OVERFLOW = 0
RECYCLE_SECONDS = 1800


def _engine_options() -> dict[str, Any]:
    # hide_parameters: a failed statement's values (a password's hash, personal data) must
    # never reach the log through the exception's message.
    return {
        "hide_parameters": True,
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_OVERFLOW,
        "json_serializer": _to_json,
    }


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> Engine:
    kwargs = _engine_options() | kwargs
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        # No ping before each checkout (a round trip on every request): connections are
        # recycled before servers or proxies drop idle ones, and a dead one fails one.
        kwargs.setdefault("pool_recycle", RECYCLE_SECONDS)
        engine = sa.create_engine(url, echo=echo, **kwargs)
    sa.event.listen(engine, "before_cursor_execute", _refuse_writes_when_reading)
    return engine


READ_STATEMENTS = ("SELECT", "WITH", "(SELECT", "PRAGMA", "SHOW")


def _refuse_writes_when_reading(
    connection: sa.Connection, _cursor: Any, statement: str, *_: Any
) -> None:
    """A read session runs each statement in its own transaction (see ``reading``): a
    write there would be committed alone, so none may be sent."""
    if connection.get_execution_options().get(
        READ_ONLY
    ) and not statement.lstrip().upper().startswith(READ_STATEMENTS):
        raise ReadOnlyViolation(f"a read session may not write: {statement.split(None, 1)[0]}")


class ReadOnlyViolation(RuntimeError):
    """A programming error: a safe method (GET) tried to change the database."""


def _exact(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # JSON numbers are read as Decimal (see core.routing)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _to_json(value: Any) -> str:
    return json.dumps(value, default=_exact)


def _sqlite_begin(connection: sa.Connection) -> None:
    # pysqlite's own transaction handling defers BEGIN; we take it over so that SAVEPOINTs
    # work. A writer takes the write lock up front: a deferred transaction that read and
    # then writes after another writer committed fails at once (SQLITE_BUSY_SNAPSHOT)
    # instead of waiting. A reader never writes, so it needs neither lock nor transaction
    # (see ``reading``).
    if not connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, echo=settings.sql_echo)


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit when the block ends normally, roll back on any error."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


_read_engines: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()
_write_engines: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def only_reads(session: Session) -> bool:
    return session.get_bind() in _write_engines


def writer_of(session: Session) -> Engine | None:
    """The engine that writes the database ``session`` only reads; None when it writes."""
    bind = session.get_bind()
    return _write_engines.get(bind) if isinstance(bind, Engine) else None


def reading(engine: Engine) -> Engine:
    """The same database for requests that only read: each statement in a transaction of
    its own (autocommit), which spares every read its BEGIN and COMMIT round trips. A read
    is one statement for each thing it shows (the caller, the resource, a page of ids),
    each consistent in itself; writes are refused (``_refuse_writes_when_reading``).

    Its connections are a pool of their own, in autocommit from the start: switching a
    shared connection to autocommit and back costs more than the statement a read sends.
    The pool is disposed of with ``engine``'s."""
    read_engine = _read_engines.get(engine)
    if read_engine is None:
        read_engine = make_engine(
            engine.url.render_as_string(hide_password=False),
            echo=bool(engine.echo),
            isolation_level="AUTOCOMMIT",
            execution_options={READ_ONLY: True},
        )
        sa.event.listen(engine, "engine_disposed", lambda _engine: read_engine.dispose())
        _read_engines[engine] = read_engine
        _write_engines[read_engine] = engine
    return read_engine


_loop_engines: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def reading_on_the_loop(engine: Engine) -> Engine:
    """What the reads made on the event loop use (see ``run_on``). SQLite: ``reading``, its
    statements are calls into a local file that never wait for a lock. PostgreSQL: the
    same reads over psycopg's asynchronous connection, so that a statement waiting for
    the server lets the loop serve other requests (a slow statement, the server busy
    vacuuming, delays its own request only); only usable inside ``greenlet_spawn``."""
    if is_sqlite(engine):
        return reading(engine)
    loop_engine = _loop_engines.get(engine)
    if loop_engine is None:
        asynchronous = create_async_engine(
            engine.url.render_as_string(hide_password=False),
            echo=bool(engine.echo),
            **_engine_options(),
            pool_recycle=RECYCLE_SECONDS,
            isolation_level="AUTOCOMMIT",
            execution_options={READ_ONLY: True, ON_THE_LOOP: True},
        )
        loop_engine = asynchronous.sync_engine
        sa.event.listen(loop_engine, "before_cursor_execute", _refuse_writes_when_reading)
        # Closing its connections needs the loop they belong to; at disposal they are let
        # go and closed when collected.
        sa.event.listen(engine, "engine_disposed", lambda _engine: loop_engine.dispose(close=False))
        _loop_engines[engine] = loop_engine
        _write_engines[loop_engine] = engine
    return loop_engine


def on_the_loop(session: Session) -> bool:
    """Whether ``session`` reads over ``reading_on_the_loop``'s asynchronous engine."""
    bind = session.get_bind()
    return isinstance(bind, Engine) and bool(bind.get_execution_options().get(ON_THE_LOOP))


@contextmanager
def writing_beside(session: Session) -> Iterator[Session]:
    """A session that may write, beside ``session``: a transaction of its own, committed
    at the end of the block, when ``session`` only reads; else ``session`` itself (its
    request commits it). For the bookkeeping a read may need (a session's last use)."""
    engine = writer_of(session)
    if engine is None:
        yield session
        return
    with Session(engine, expire_on_commit=False) as writer, committing(writer):
        yield writer


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session that only reads, closed (its transaction ended) when the block ends."""
    # Closing the session rolls its transaction back and returns the connection.
    with Session(reading(engine or get_engine()), expire_on_commit=False) as session:
        yield session


ReadSessionFactory = Callable[[], AbstractContextManager[Session]]


def get_read_session_factory() -> ReadSessionFactory:
    """What a streamed body opens its own session with: the request's session has ended
    before the body is produced."""
    return read_session


ReadSessionFactoryDep = Annotated[ReadSessionFactory, Depends(get_read_session_factory)]


def alembic_config(url: str) -> Config:
    config = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


class SchemaNotMigrated(RuntimeError):
    pass


@lru_cache
def _expected_heads(url: str) -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def not_ready(session: Session) -> str | None:
    """Why this process cannot serve now (the database unreachable, its schema not the one
    this version needs), or None: what a readiness probe asks before sending traffic."""
    engine = session.get_bind().engine
    try:
        current = frozenset(
            session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        )
    except sa.exc.SQLAlchemyError as error:
        return f"The database cannot be read ({type(error).__name__})."
    if current != _expected_heads(str(engine.url)):
        return "The database schema is not the one this version needs: run `fundflow db upgrade`."
    return None


def ensure_migrated(engine: Engine) -> None:
    """Refuse to serve a database whose schema is not at the latest migration."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    heads = set(script.get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        found = ", ".join(sorted(current)) or "an empty schema"
        raise SchemaNotMigrated(
            f"The database at {engine.url.render_as_string(hide_password=True)} is not migrated "
            f"(found {found}, expected {', '.join(sorted(heads))}). "
            "Run `fundflow db upgrade` first."
        )
