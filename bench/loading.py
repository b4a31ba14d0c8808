"""What the bench scripts share: a scratch PostgreSQL database, batched inserts, a served
process, wrk's figures."""

import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
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
    return f"median {_ms(statistics.median(ordered))}, p95 {_ms(p95)}"


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.2f} ms"


def side_by_side(
    label: str,
    work: Callable[[], object],
    bare: Callable[[], object],
    *,
    runs: int,
    target_ratio: float,
    budget_ms: float | None = None,
) -> float:
    """Time ``work`` and the ``bare`` work it rests on, alternately in the same run, and
    print both with their ratio: a ratio travels between machines where a time does not."""
    work_ms: list[float] = []
    bare_ms: list[float] = []
    for _ in range(runs):
        for timings, step in ((work_ms, work), (bare_ms, bare)):
            started = time.perf_counter()
            step()
            timings.append((time.perf_counter() - started) * 1000)
    ratio = statistics.median(work_ms) / statistics.median(bare_ms)
    budget = f", budget < {budget_ms:.0f} ms on a quiet machine" if budget_ms else ""
    verdict = "within" if ratio <= target_ratio else "OVER"
    print(
        f"{label}: {median_p95(work_ms)}{budget}\n"
        f"  bare work: {median_p95(bare_ms)}\n"
        f"  ratio {ratio:.2f}× ({verdict} the target ≤ {target_ratio:g}×)"
    )
    return ratio


def executing(*statements: Any) -> Callable[[], None]:
    """Bare work: the statements alone, on a connection of the service's engine, every row
    fetched."""
    from fundflow.core.database import get_engine

    def run() -> None:
        with get_engine().connect() as connection:
            for statement in statements:
                connection.execute(statement).all()

    return run


FUNDFLOW = Path(sys.executable).parent / "fundflow"


@contextmanager
def serving(env: dict[str, str], port: int, workers: int = 1) -> Iterator[str]:
    """`fundflow serve` on ``port`` until the block ends; its base URL once it answers."""
    server = subprocess.Popen(
        [str(FUNDFLOW), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(url: str, header: str, seconds: int, connections: int) -> dict[str, str]:
    """wrk's requests/s, p50, p99 and non-2xx count for ``url`` (after 3 s of warm-up)."""
    command = ["wrk", "-t2", f"-c{connections}", "--latency", "-H", header]
    subprocess.run([*command, "-d3s", url], capture_output=True, check=True)
    out = subprocess.run(
        [*command, f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    distribution = out.split("Latency Distribution", 1)[-1]
    found = {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", out),
        "p50": re.search(r"50%\s+(\S+)", distribution),
        "p99": re.search(r"99%\s+(\S+)", distribution),
        "non_2xx": re.search(r"Non-2xx or 3xx responses: (\d+)", out),
    }
    figures = {key: match.group(1) if match else "?" for key, match in found.items()}
    if found["non_2xx"] is None:
        figures["non_2xx"] = "0"
    return figures
