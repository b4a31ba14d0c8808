"""The daily jobs run once across a fleet: on PostgreSQL a second host finds the job's lock
taken and does nothing; the lock is let go when the job ends."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from fundflow.core.jobs import exclusive, lock_key
from tests.conftest import is_postgres
from tests.test_cli import run

needs_postgres = pytest.mark.skipif(not is_postgres(), reason="advisory locks: PostgreSQL")


def test_each_job_has_its_own_stable_key():
    assert lock_key("remind") == lock_key("remind")
    assert len({lock_key(job) for job in ("remind", "tick", "purge")}) == 3


@needs_postgres
def test_a_second_host_finds_the_job_taken_until_the_first_ends(engine: Engine):
    with exclusive(engine, "remind") as first:
        assert first
        with exclusive(engine, "remind") as second, exclusive(engine, "tick") as other_job:
            assert (second, other_job) == (False, True)
    with exclusive(engine, "remind") as later:
        assert later


@needs_postgres
@pytest.mark.parametrize(
    ("job", "done"), [("remind", "sent 0 reminder(s)"), ("tick", "0 project(s) moved")]
)
def test_the_command_does_nothing_while_another_host_runs_it(
    database_factory: Callable[[], str], tmp_path: Path, job: str, done: str
):
    from fundflow.core.database import make_engine

    url = database_factory()
    other_host = make_engine(url)
    try:
        with exclusive(other_host, job) as held:
            assert held
            skipped = run(url, job, cwd=tmp_path)
            assert skipped.returncode == 0, skipped.stderr
            assert f"`{job}` is running on another host; nothing done here" in skipped.stdout
            assert done not in skipped.stdout
        ran = run(url, job, cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
        assert done in ran.stdout
    finally:
        other_host.dispose()


def test_on_sqlite_there_is_one_host_and_no_lock(engine: Engine):
    if is_postgres():
        pytest.skip("the SQLite case")
    with exclusive(engine, "tick") as first, exclusive(engine, "tick") as second:
        assert first and second
