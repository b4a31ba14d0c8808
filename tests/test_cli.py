"""The `fundflow` command as an operator runs it, on a database of its own.

The commands run in this process (typer's runner, with the operator's environment and
working directory), which is fast; `tests/e2e` runs the real executable (`make run`,
`fundflow demo`, `fundflow serve`).
"""

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from fundflow.cli import app as cli
from fundflow.core.config import get_settings
from fundflow.core.database import get_engine, make_engine


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _operator_settings() -> Iterator[None]:
    """Settings and engine made from the command's environment, then forgotten."""
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        yield
    finally:
        if get_engine.cache_info().currsize:
            get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()


def run(url: str, *args: str, cwd: Path, environment: str = "development") -> Ran:
    env = {"FUNDFLOW_DATABASE_URL": url, "FUNDFLOW_ENVIRONMENT": environment}
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with _operator_settings():
            result = CliRunner().invoke(cli, list(args), env=env)
    finally:
        os.chdir(here)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # What the operator would have seen: an unexpected error's traceback.
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


@pytest.fixture
def fresh_url(database_factory: Callable[[], str]) -> str:
    return database_factory()


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in (
                    "organisation",
                    "partner",
                    "funder",
                    "envelope",
                    "call",
                    "proposal",
                    "proposal_fingerprint",
                    "user_account",
                    "event",
                )
            }
    finally:
        engine.dispose()


def test_demo_loads_once_and_prints_logins(fresh_url: str, tmp_path: Path):
    first = run(fresh_url, "demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    for email in (
        "secretariat@fedevaco.example",
        "applicant@tafraout.example",
        "authority@ddc.example",
        "commission@fedevaco.example",
        "admin@fundflow.example",
    ):
        assert email in first.stdout
    loaded = counts(fresh_url)
    assert loaded["organisation"] == 13 and loaded["funder"] == 6 and loaded["call"] == 3
    assert loaded["proposal"] == 10
    # Every proposal is fingerprinted for similar-request detection.
    assert loaded["proposal_fingerprint"] == 10
    second = run(fresh_url, "demo", "--password", "a-chosen-demo-password", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "a-chosen-demo-password" in second.stdout
    assert counts(fresh_url) == loaded


def test_demo_statuses_are_reached_through_the_workflow(fresh_url: str, tmp_path: Path):
    assert run(fresh_url, "demo", cwd=tmp_path).returncode == 0
    engine = make_engine(fresh_url)
    with engine.connect() as connection:
        statuses = dict(
            connection.execute(
                sa.text("SELECT status, count(*) FROM proposal GROUP BY status")
            ).all()
        )
        submits = connection.execute(
            sa.text(
                "SELECT count(*) FROM event WHERE entity_type = 'proposal' AND action = 'submit'"
            )
        ).scalar_one()
        reviews = dict(
            connection.execute(sa.text("SELECT status, count(*) FROM review GROUP BY status")).all()
        )
        projects = connection.execute(sa.text("SELECT count(*) FROM project")).scalar_one()
    engine.dispose()
    assert statuses == {
        "draft": 1,
        "submitted": 3,
        "revision_requested": 1,
        "in_review": 2,
        "approved": 1,
        "ineligible": 1,
        "withdrawn": 1,
    }
    assert submits == 8
    assert reviews == {"submitted": 5, "assigned": 1} and projects == 1


def test_users_create_and_its_errors(fresh_url: str, tmp_path: Path):
    created = run(
        fresh_url,
        "users",
        "create",
        "--email",
        "Admin@Federation.example",
        "--password",
        "a-long-admin-password",
        "--role",
        "admin",
        "--role",
        "secretariat",
        "--full-name",
        "Claire Rochat",
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    assert "admin@federation.example" in created.stdout and "secretariat" in created.stdout
    again = run(
        fresh_url,
        "users",
        "create",
        "--email",
        "admin@federation.example",
        "--password",
        "a-long-admin-password",
        "--role",
        "admin",
        cwd=tmp_path,
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    applicant = run(
        fresh_url,
        "users",
        "create",
        "--email",
        "a@assoc.example",
        "--password",
        "a-long-password",
        "--role",
        "applicant",
        cwd=tmp_path,
    )
    assert applicant.returncode == 2 and "organisation_id" in applicant.stderr
    short = run(
        fresh_url,
        "users",
        "create",
        "--email",
        "b@assoc.example",
        "--password",
        "x",
        "--role",
        "admin",
        cwd=tmp_path,
    )
    assert short.returncode == 2 and "password" in short.stderr


def test_commands_refuse_an_unmigrated_database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = run(
        url,
        "users",
        "create",
        "--email",
        "a@b.example",
        "--password",
        "a-long-password",
        "--role",
        "admin",
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "fundflow db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    upgraded = run(url, "db", "upgrade", cwd=tmp_path)
    assert upgraded.returncode == 0 and "migrated" in upgraded.stdout


def test_production_refuses_the_demo(fresh_url: str, tmp_path: Path):
    result = run(fresh_url, "demo", cwd=tmp_path, environment="production")
    assert result.returncode == 2 and "refusing" in result.stderr
    assert counts(fresh_url)["user_account"] == 0


def test_spec_command_writes_the_document(tmp_path: Path):
    result = run("sqlite://", "spec", "--output", str(tmp_path / "openapi.json"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"/api/v1/proposals"' in (tmp_path / "openapi.json").read_text()


def test_serve_refuses_an_unmigrated_database(tmp_path: Path):
    result = run(f"sqlite:///{tmp_path / 'empty.db'}", "serve", "--port", "8799", cwd=tmp_path)
    assert result.returncode != 0
    assert "is not migrated" in result.stderr and "fundflow db upgrade" in result.stderr


def test_purge_runs_on_a_migrated_database(fresh_url: str, tmp_path: Path):
    result = run(fresh_url, "db", "purge", cwd=tmp_path)
    assert result.returncode == 0 and "forgot 0 idempotency key(s)" in result.stdout
    assert "forgot the failed sign-ins of 0 address(es)" in result.stdout


def test_check_finds_no_violation_in_the_demo_and_reports_a_broken_envelope(
    fresh_url: str, tmp_path: Path
):
    assert run(fresh_url, "demo", cwd=tmp_path).returncode == 0
    clean = run(fresh_url, "check", cwd=tmp_path)
    assert clean.returncode == 0 and "no violation" in clean.stdout
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        # Forget one commitment's reservation, as a bug or a hand edit would.
        connection.execute(
            sa.text(
                "UPDATE envelope SET committed = 0 WHERE id = "
                "(SELECT envelope_id FROM commitment ORDER BY id LIMIT 1)"
            )
        )
    engine.dispose()
    broken = run(fresh_url, "check", cwd=tmp_path)
    assert broken.returncode == 1
    assert "violation: envelope" in broken.stdout and "committed CHF 0.00 but" in broken.stdout


def test_upgrade_fingerprints_proposals_that_have_none(fresh_url: str, tmp_path: Path):
    assert run(fresh_url, "demo", cwd=tmp_path).returncode == 0
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM proposal_text_band"))
        connection.execute(sa.text("DELETE FROM proposal_fingerprint"))
    engine.dispose()

    upgraded = run(fresh_url, "db", "upgrade", cwd=tmp_path)

    assert upgraded.returncode == 0, upgraded.stderr
    assert "fingerprinted 10 proposal(s)" in upgraded.stdout
    assert counts(fresh_url)["proposal_fingerprint"] == 10
    again = run(fresh_url, "db", "upgrade", cwd=tmp_path)
    assert "fingerprinted" not in again.stdout


def test_reindex_refreshes_only_stale_fingerprints(fresh_url: str, tmp_path: Path):
    assert run(fresh_url, "demo", cwd=tmp_path).returncode == 0
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE proposal_fingerprint SET digest = 'made-otherwise' WHERE proposal_id = 1"
            )
        )
        connection.execute(sa.text("DELETE FROM proposal_text_band WHERE proposal_id = 1"))

    reindexed = run(fresh_url, "db", "reindex", cwd=tmp_path)

    assert reindexed.returncode == 0, reindexed.stderr
    assert "fingerprinted 1 proposal(s) again" in reindexed.stdout
    with engine.connect() as connection:
        bands = connection.execute(
            sa.text("SELECT count(*) FROM proposal_text_band WHERE proposal_id = 1")
        ).scalar_one()
    engine.dispose()
    assert bands > 0
