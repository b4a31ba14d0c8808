"""What a safe method (GET) reads with: no transaction to begin and commit around its
statements, and no way to write."""

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.core.database import ReadOnlyViolation, reading
from fundflow.organisations.models import Organisation


def open_transaction(session: Session) -> bool:
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    if hasattr(dbapi, "info"):  # psycopg: IDLE (0) outside a transaction
        return bool(dbapi.info.transaction_status)
    return bool(dbapi.in_transaction)  # sqlite3


def test_a_read_runs_each_statement_without_a_transaction_around_it(engine: Engine):
    with Session(reading(engine)) as session:
        assert session.execute(sa.select(sa.literal(1))).scalar() == 1
        assert not open_transaction(session)
    with Session(engine) as session:  # a writing request keeps its one transaction
        session.execute(sa.select(sa.literal(1)))
        assert open_transaction(session)


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(Organisation).where(Organisation.id == -1).values(name="x"),
        sa.delete(Organisation).where(Organisation.id == -1),
        sa.text("CREATE TABLE never_made (id INTEGER)"),
    ],
)
def test_a_read_session_refuses_to_write(engine: Engine, statement: sa.Executable):
    with Session(reading(engine)) as session, pytest.raises(ReadOnlyViolation):
        session.execute(statement)
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
    assert "never_made" not in tables
