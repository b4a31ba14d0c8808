"""Engine, sessions and the "is the schema migrated?" check."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
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


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take it over so that SAVEPOINTs
        # work. IMMEDIATE takes the write lock up front: a deferred transaction that read
        # and then writes after another writer committed fails at once (SQLITE_BUSY_SNAPSHOT)
        # instead of waiting, which would surface as errors under concurrent requests.
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True, **kwargs)


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


def get_session() -> Iterator[Session]:
    """One transaction per request: committed after the handler, rolled back on error."""
    with Session(get_engine(), expire_on_commit=False) as session, committing(session):
        yield session


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
