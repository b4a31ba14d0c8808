"""A streamed export owns its session: nothing stays open behind it (defect 1)."""

from collections.abc import Callable

import httpx
import sqlalchemy as sa

from tests.conftest import is_postgres
from tests.e2e.conftest import APPLICANT, SECRETARIAT
from tests.e2e.server import LiveServer


def _write(server: LiveServer, token: str) -> httpx.Response:
    with server.client(token, timeout=10) as client:
        return client.post("/api/v1/partners", json={"name": "Coopérative", "country": "MA"})


def test_an_export_leaves_the_database_free_for_writers(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    with live_server.client(token_of(SECRETARIAT)) as client:
        for _ in range(3):
            export = client.get("/api/v1/exports/iati")
            assert export.status_code == 200
            assert export.text.rstrip().endswith("</iati-activities>")
    assert _write(live_server, token_of(APPLICANT)).status_code == 201


def test_a_client_that_hangs_up_mid_export_leaves_nothing_open(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_of(SECRETARIAT)}"}
    for _ in range(5):
        with httpx.stream(
            "GET", f"{live_server.url}/api/v1/exports/iati", headers=headers, timeout=10
        ) as response:
            assert response.status_code == 200
            next(response.iter_raw(64))
    assert _write(live_server, token_of(APPLICANT)).status_code == 201


def test_no_connection_stays_idle_in_transaction_after_exports(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    if not is_postgres():
        return  # SQLite has no server-side view of sessions; the write above shows it
    with live_server.client(token_of(SECRETARIAT)) as client:
        for _ in range(10):
            assert client.get("/api/v1/exports/iati").status_code == 200
    database = sa.make_url(live_server.database_url).database
    engine = sa.create_engine(live_server.database_url)
    with engine.connect() as connection:
        idle = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = :name AND state = 'idle in transaction'"
            ),
            {"name": database},
        ).scalar_one()
    engine.dispose()
    assert idle == 0
