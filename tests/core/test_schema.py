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
from tests.e2e.conftest import demo_database


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


def test_the_latest_migrations_go_down_and_up_with_data_in_place(
    database_factory: Callable[[], str],
):
    """A federation upgrades a database full of its work: each of the latest migrations
    undoes and redoes itself with the demo's data in place (rebuilding a table that others
    point to, as SQLite's batch mode does, fails here)."""
    url = demo_database(database_factory)
    config = alembic_config(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            funders = connection.exec_driver_sql("SELECT count(*) FROM funder").scalar()
        assert funders
        command.downgrade(config, "-3")
        command.upgrade(config, "head")
        ensure_migrated(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM funder").scalar() == funders
    finally:
        engine.dispose()
