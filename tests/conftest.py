"""Test fixtures: a database built by the migrations once per run, each test rolled back.

SQLite by default; set FUNDFLOW_TEST_DATABASE_URL to a PostgreSQL server URL and the run
creates its own database there (and drops it afterwards), so reruns start clean.
"""

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path

os.environ["FUNDFLOW_ENVIRONMENT"] = "test"
os.environ["FUNDFLOW_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
os.environ.setdefault("FUNDFLOW_DATABASE_URL", "sqlite:///./var/never-used.db")
os.environ["FUNDFLOW_DOCUMENTS_DIR"] = tempfile.mkdtemp(prefix="fundflow-documents-")

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from fundflow.core import passwords
from fundflow.core.config import get_settings
from fundflow.core.database import (
    committing,
    get_read_session_factory,
    make_engine,
    read_session,
    upgrade_database,
)
from fundflow.core.deps import settings as settings_dependency
from fundflow.core.request_sessions import get_session
from fundflow.main import create_app
from tests.builders import World
from tests.mail import Inbox

POSTGRES_URL = os.environ.get("FUNDFLOW_TEST_DATABASE_URL")

# Still argon2, at a cost that lets the suite create hundreds of users; production keeps
# pwdlib's recommended parameters.
passwords._hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))


def is_postgres() -> bool:
    return bool(POSTGRES_URL)


# The local SMTP server (`smtp`), for reminders and the README walk-through; the S3 API
# server (`s3_server`), for the document store in a bucket.
pytest_plugins = ["tests.mail", "tests.object_storage"]


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], str]]:
    """Makes migrated, empty databases; drops the PostgreSQL ones at the end of the run."""
    created: list[str] = []

    def make() -> str:
        if POSTGRES_URL:
            name = f"fundflow_test_{uuid.uuid4().hex[:12]}"
            admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            admin.dispose()
            url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
            created.append(name)
        else:
            path: Path = tmp_path_factory.mktemp("db") / "fundflow.db"
            url = f"sqlite:///{path}"
        upgrade_database(url)
        return url

    yield make
    if POSTGRES_URL and created:
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in created:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_factory: Callable[[], str]) -> Iterator[Engine]:
    engine = make_engine(database_factory())
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one transaction rolled back at the end."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            yield session
        if transaction.is_active:
            transaction.rollback()


@pytest.fixture
def app(session: Session):  # type: ignore[no-untyped-def]
    app = create_app(check_migrations=False)

    def test_session() -> Iterator[Session]:
        with committing(session):
            yield session

    app.dependency_overrides[get_session] = test_session
    # A streamed body reads what the test wrote, in the test's own transaction.
    app.dependency_overrides[get_read_session_factory] = lambda: lambda: nullcontext(session)
    return app


@pytest.fixture
def client(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def world(session: Session) -> World:
    """A small federation: one open call of each kind, two associations, every role."""
    return World.build(session)


@pytest.fixture
def committed_engine(database_factory: Callable[[], str]) -> Iterator[Engine]:
    """A database of its own where requests really commit, as in production (for tests
    of concurrent requests, which the rolled-back test session cannot show)."""
    engine = make_engine(database_factory())
    yield engine
    engine.dispose()


@pytest.fixture
def committed_client(committed_engine: Engine) -> TestClient:
    """A client whose every request runs in its own committed transaction."""
    app = create_app(check_migrations=False)

    def real_session() -> Iterator[Session]:
        with Session(committed_engine, expire_on_commit=False) as session, committing(session):
            yield session

    app.dependency_overrides[get_session] = real_session
    app.dependency_overrides[get_read_session_factory] = lambda: (
        lambda: read_session(committed_engine)
    )
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def inbox(app: FastAPI, smtp: tuple[Inbox, int]) -> Inbox:
    """What the service mails, its links pointing at https://fundflow.example/."""
    mailbox, port = smtp
    configured = get_settings().model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "public_url": "https://fundflow.example/",
        }
    )
    app.dependency_overrides[settings_dependency] = lambda: configured
    return mailbox
