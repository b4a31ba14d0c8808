"""What the bench scripts share: a scratch PostgreSQL database and batched inserts."""

import os
import statistics
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A migrated database of its own, which the application's settings point at."""
    url = create_database(server_url)
    os.environ["FUNDFLOW_DATABASE_URL"] = url
    os.environ.setdefault("FUNDFLOW_SECRET_KEY", "bench-secret-key-long-enough-0123456789")
    try:
        from fundflow.core.database import upgrade_database

        upgrade_database(url)
        yield url
    finally:
        drop_database(server_url, url)


def users(db: Any, now: datetime, emails: list[str], role: str | None = None) -> list[int]:
    from fundflow.models import User, UserRole

    ids = insert(
        db,
        User,
        [
            {
                "email": email,
                "full_name": email.split("@")[0].title(),
                "password_hash": "x",
                "language": "fr",
                "is_active": True,
                "version": 1,
                "created_at": now,
            }
            for email in emails
        ],
    )
    if role is not None:
        db.execute(sa.insert(UserRole), [{"user_id": uid, "role": role} for uid in ids])
    return ids


def submitted_reviews(
    db: Any, now: datetime, pairs: list[tuple[int, int]], *, returning: bool = True
) -> list[int]:
    """One submitted review per (proposal id, reviewer id)."""
    from fundflow.models import Review

    return insert(
        db,
        Review,
        [
            {
                "proposal_id": proposal_id,
                "reviewer_id": reviewer_id,
                "status": "submitted",
                "recommendation": "approve",
                "version": 2,
                "created_at": now,
                "updated_at": now,
                "submitted_at": now,
            }
            for proposal_id, reviewer_id in pairs
        ],
        returning=returning,
    )


def yearly_calls(db: Any, now: datetime, title: str = "Call") -> list[int]:
    """One closed cooperation call a year, 2012 to 2027."""
    from fundflow.models import Call

    return insert(
        db,
        Call,
        [
            {
                "kind": "cooperation",
                "title": f"{title} {year}",
                "year": year,
                "opens_at": now,
                "closes_at": None,
                "currency": "CHF",
                "status": "closed",
                "version": 1,
                "created_at": now,
                "rules": {},
                "reporting": {},
                "tranches": [],
            }
            for year in range(2012, 2028)
        ],
    )


def api_client(user_id: int) -> tuple[Any, dict[str, str]]:
    """An in-process client, started as a served process is, and the user's headers."""
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from fundflow.accounts.models import User
    from fundflow.accounts.sessions import issue_token
    from fundflow.core.config import get_settings
    from fundflow.core.database import get_engine
    from fundflow.main import create_app

    with Session(get_engine()) as session, session.begin():
        user = session.get(User, user_id)
        assert user is not None
        token, _ = issue_token(session, get_settings(), user=user)
    client = TestClient(create_app())
    client.__enter__()  # runs the application's startup
    return client, {"Authorization": f"Bearer {token}"}


def median_p95(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms"
