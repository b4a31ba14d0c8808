"""`kill -9` in the middle of writes: after a restart every acknowledged write is there,
whole, and nothing half-written is (defect 3's companion: durability of the default)."""

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import APPLICANT, demo_database
from tests.e2e.server import LiveServer

WRITERS = 6
LINES = 5


def _proposal(call_id: int, number: int) -> dict[str, object]:
    return {
        "call_id": call_id,
        "title": f"Projet d'écriture {number}",
        "summary": "Écrit pendant l'arrêt brutal du service.",
        "budget_lines": [
            {"category": "investment", "description": f"Poste {i}", "amount": f"{1000 + i}.50"}
            for i in range(LINES)
        ],
    }


def _write_until(
    server: LiveServer, token: str, call_id: int, stop: threading.Event, acknowledged: list[dict]
) -> None:
    number = 0
    with server.client(token, timeout=10) as client:
        while not stop.is_set():
            number += 1
            try:
                response = client.post(
                    "/api/v1/proposals",
                    json=_proposal(call_id, threading.get_ident() % 100_000 * 1000 + number),
                )
            except httpx.TransportError:
                return  # the server is gone: this write was never acknowledged
            if response.status_code == 201:
                acknowledged.append(response.json())


@pytest.mark.parametrize("round_number", [1, 2])
def test_every_acknowledged_write_survives_kill_9(
    database_factory: Callable[[], str], tmp_path: Path, round_number: int
) -> None:
    server = LiveServer(demo_database(database_factory), tmp_path / "server.log")
    server.start()
    try:
        token = server.token(APPLICANT)
        with server.client(token) as client:
            calls = client.get("/api/v1/calls", params={"status": "open"}).json()["items"]
            call_id = next(c["id"] for c in calls if c["kind"] == "cooperation")
        stop, acknowledged = threading.Event(), []
        writers = [
            threading.Thread(target=_write_until, args=(server, token, call_id, stop, acknowledged))
            for _ in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        time.sleep(2 + round_number)
        server.kill()
        stop.set()
        for writer in writers:
            writer.join()
        assert len(acknowledged) > 20, "the load wrote too little to show anything"
        server.start()
        token = server.token(APPLICANT)
        with server.client(token) as client:
            for sent in acknowledged:
                found = client.get(f"/api/v1/proposals/{sent['id']}")
                assert found.status_code == 200
                assert found.json()["budget_lines"] == sent["budget_lines"]
            # Nothing written by the load is there in part: every proposal has all its lines.
            listed, cursor = [], None
            while True:
                params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
                page = client.get("/api/v1/proposals", params=params).json()
                listed += page["items"]
                if not (cursor := page["next_cursor"]):
                    break
            ours = [p for p in listed if p["title"].startswith("Projet d'écriture")]
            assert len(ours) >= len(acknowledged)
            for summary in ours:
                whole = client.get(f"/api/v1/proposals/{summary['id']}").json()
                assert len(whole["budget_lines"]) == LINES
        print(
            f"kill -9 round {round_number}: {len(acknowledged)} acknowledged, "
            f"{len(ours)} found whole, 0 partial"
        )
    finally:
        server.stop()
