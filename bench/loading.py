"""What the bench scripts share: a scratch PostgreSQL database and batched inserts."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 20_000


def create_database(server_url: str) -> str:
    name = f"fundflow_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(
            f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'
        )
    admin.dispose()


def insert(db: Any, model: Any, rows: list[dict[str, Any]], *, returning: bool = True) -> list[int]:
    """Insert in batches; the new ids in order when ``returning``."""
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if returning:
            ids += db.execute(sa.insert(model).returning(model.id), batch).scalars().all()
        else:
            db.execute(sa.insert(model), batch)
    return ids


def organisations(db: Any, count: int, now: datetime, *, diaspora_every: int) -> list[int]:
    from fundflow.models import Organisation

    return insert(
        db,
        Organisation,
        [
            {
                "name": f"Association {i}",
                "kind": "association",
                "country": "CH",
                "is_diaspora_led": i % diaspora_every == 0,
                "diaspora_origins": [],
                "membership_status": "member",
                "audited_accounts_years": [],
                "zewo_certified": False,
                "version": 1,
                "created_at": now,
            }
            for i in range(count)
        ],
    )
