"""Failed sign-ins lock an account from one client address for a while (whether the account
exists or not), and a client address that tries many accounts; never an account for all."""

import threading
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.accounts import throttle
from fundflow.accounts.models import SignInThrottle
from fundflow.core.config import get_settings
from fundflow.core.dbtypes import utcnow
from tests.accounts.test_auth import token_for
from tests.builders import World

EMAIL = "youssef@tafraout.example"
PAIR = f"pair:testclient|{EMAIL}"
LIMIT = get_settings().login_max_failures


def fail(client: TestClient, email: str, times: int) -> list[int]:
    return [token_for(client, email, "wrong-password-1").status_code for _ in range(times)]


def test_the_limit_locks_the_address_even_for_the_right_password(client: TestClient, world: World):
    assert fail(client, EMAIL, LIMIT) == [401] * LIMIT

    locked = token_for(client, EMAIL)

    assert locked.status_code == 429
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert locked.json()["type"].endswith("too-many-attempts")
    lockout = get_settings().login_lockout_minutes * 60
    assert lockout - 5 <= int(locked.headers["Retry-After"]) <= lockout + 1
    # Another address is not affected.
    assert token_for(client, world.applicant_b.email).status_code == 200


def test_an_unknown_address_locks_the_same_way(client: TestClient, world: World):
    assert fail(client, "nobody@tafraout.example", LIMIT + 1) == [401] * LIMIT + [429]


def test_after_the_lock_the_right_password_works_and_clears_the_count(
    client: TestClient, world: World, session: Session
):
    fail(client, EMAIL, LIMIT)
    row = session.get(SignInThrottle, PAIR)
    assert row is not None and row.locked_until is not None
    row.locked_until = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()

    assert token_for(client, EMAIL).status_code == 200
    session.expire_all()
    assert session.get(SignInThrottle, PAIR) is None


def test_failures_count_only_within_the_period(client: TestClient, world: World, session: Session):
    fail(client, EMAIL, LIMIT - 1)
    row = session.get(SignInThrottle, PAIR)
    assert row is not None and row.failures == LIMIT - 1
    row.last_failed_at = utcnow() - timedelta(minutes=get_settings().login_lockout_minutes + 1)
    session.add(row)
    session.commit()

    assert fail(client, EMAIL, LIMIT - 1) == [401] * (LIMIT - 1)
    assert token_for(client, EMAIL).status_code == 200


def test_purge_forgets_old_failures_but_keeps_running_locks(world: World, session: Session):
    settings, now = get_settings(), utcnow()
    old = now - timedelta(hours=2)
    session.add(
        SignInThrottle(key="pair:testclient|old@example.org", failures=2, last_failed_at=old)
    )
    session.add(
        SignInThrottle(
            key="address:10.0.0.1",
            failures=0,
            last_failed_at=old,
            locked_until=now + timedelta(minutes=5),
        )
    )
    session.add(SignInThrottle(key="address:10.0.0.2", failures=1, last_failed_at=now))
    session.commit()

    assert throttle.purge(session, now=now, settings=settings) == 1
    assert session.get(SignInThrottle, "pair:testclient|old@example.org") is None
    assert session.get(SignInThrottle, "address:10.0.0.1") is not None


def test_parallel_failures_are_all_counted(committed_engine: Engine, committed_client: TestClient):
    with Session(committed_engine, expire_on_commit=False) as session:
        World.build(session)
        session.commit()
    start = threading.Barrier(LIMIT)
    statuses: list[int] = []

    def attempt() -> None:
        start.wait()
        statuses.extend(fail(committed_client, EMAIL, 1))

    threads = [threading.Thread(target=attempt) for _ in range(LIMIT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [401] * LIMIT
    assert token_for(committed_client, EMAIL).status_code == 429


def test_a_lock_from_one_address_does_not_lock_the_person_out_elsewhere(
    app, client: TestClient, world: World
):
    assert fail(client, EMAIL, LIMIT + 1) == [401] * LIMIT + [429]

    elsewhere = TestClient(app, raise_server_exceptions=False, client=("198.51.100.7", 4000))
    assert token_for(elsewhere, EMAIL).status_code == 200


def test_one_address_spraying_a_password_over_many_accounts_is_locked(
    client: TestClient, world: World
):
    per_address = get_settings().login_max_failures_per_address
    statuses = [
        token_for(client, f"person{n}@example.org", "Spring2026!").status_code
        for n in range(per_address + 1)
    ]

    assert statuses == [401] * per_address + [429]
    # Even a right password from that address waits for the lock to end.
    assert token_for(client, world.applicant_b.email).status_code == 429
