"""A real `fundflow serve` over the suite's database (SQLite, or PostgreSQL when
FUNDFLOW_TEST_DATABASE_URL is set), loaded with the demo federation."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.browser import browser  # noqa: F401 (a fixture for the browser tests)
from tests.e2e.server import DEMO_PASSWORD, LiveServer, run_command, running

SECRETARIAT = "secretariat@fedevaco.example"
ADMIN = "admin@fundflow.example"
APPLICANT = "applicant@tafraout.example"
OTHER_APPLICANT = "applicant@teranga.example"
COMMISSION = "commission@fedevaco.example"
AUTHORITY = "authority@ddc.example"


def demo_database(database_factory: Callable[[], str]) -> str:
    url = database_factory()
    run_command(LiveServer(url, Path("/dev/null")).env, "demo", "--password", DEMO_PASSWORD)
    return url


@contextmanager
def demo_server(
    database_factory: Callable[[], str],
    log_dir: Path,
    env: dict[str, str] | None = None,
    serve_options: tuple[str, ...] = (),
) -> Iterator[LiveServer]:
    """A server of its own over a new demo database."""
    server = LiveServer(
        demo_database(database_factory), log_dir / "server.log", env or {}, serve_options
    )
    with running(server):
        yield server


@pytest.fixture(scope="session")
def live_server(
    database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with demo_server(database_factory, tmp_path_factory.mktemp("e2e")) as server:
        yield server
    # Whatever the tests sent, the server never failed on its own.
    assert "Traceback" not in server.log(), server.log()[-5000:]


@pytest.fixture(scope="session")
def token_of(live_server: LiveServer) -> Callable[[str], str]:
    return cache(live_server.token)


def new_draft(client: httpx.Client) -> dict[str, Any]:
    """A new draft of the caller's association in the open cooperation call."""
    calls = client.get("/api/v1/calls", params={"status": "open"}).json()["items"]
    call_id = next(c["id"] for c in calls if c["kind"] == "cooperation")
    created = client.post(
        "/api/v1/proposals",
        json={"call_id": call_id, "title": "Puits solaires à Tafraout", "summary": "Brouillon."},
    )
    assert created.status_code == 201, created.text
    return dict(created.json())
