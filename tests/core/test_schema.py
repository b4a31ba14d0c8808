"""The schema is made by the migrations alone, and they match the models."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import fundflow.models  # noqa: F401
from fundflow.core.database import (
    SchemaNotMigrated,
    alembic_config,
    ensure_migrated,
    make_engine,
)


def test_autogenerate_finds_no_difference(engine: Engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_app_refuses_an_unmigrated_database(database_factory: Callable[[], str]):
    url = database_factory()
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    try:
        with pytest.raises(SchemaNotMigrated, match="fundflow db upgrade"):
            ensure_migrated(engine)
        command.upgrade(alembic_config(url), "head")
        ensure_migrated(engine)
        tables = set(sa.inspect(engine).get_table_names())
        assert {"proposal", "event", "envelope", "user_account"} <= tables
    finally:
        engine.dispose()


def test_sqlite_enforces_foreign_keys(engine: Engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragma")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
