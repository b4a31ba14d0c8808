"""Many clients at once, reading and writing: no error, no stall (defect 3)."""

import asyncio
from collections.abc import Callable

import httpx

from tests.e2e.conftest import APPLICANT, COMMISSION, OTHER_APPLICANT, SECRETARIAT
from tests.e2e.server import LiveServer

CLIENTS = 200


async def _one_client(
    client: httpx.AsyncClient, number: int, token: str, partner_ids: list[int]
) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    if number % 4 == 0:
        response = await client.post(
            "/api/v1/partners",
            json={"name": f"Partenaire {number}", "country": "SN", "kind": "ngo"},
            headers=headers,
        )
    elif number % 4 == 1:
        response = await client.patch(
            f"/api/v1/partners/{partner_ids[number // 4]}",
            json={"locality": f"Douar {number}"},
            headers=headers,
        )
    elif number % 4 == 2:
        response = await client.get("/api/v1/me", headers=headers)
    else:
        response = await client.get("/api/v1/proposals/1", headers=headers)
    return response.status_code


async def _crowd(server: LiveServer, tokens: list[str], partner_ids: list[int]) -> list[int]:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    # A stall (the server waiting out a lock) ends in a timeout, which fails the test.
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        return await asyncio.gather(
            *(_one_client(client, n, tokens[n % len(tokens)], partner_ids) for n in range(CLIENTS))
        )


def test_two_hundred_concurrent_clients_reading_and_writing(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    applicant = token_of(APPLICANT)
    with live_server.client(applicant) as client:
        partner_ids = [
            client.post("/api/v1/partners", json={"name": f"Réseau {n}", "country": "MA"}).json()[
                "id"
            ]
            for n in range(CLIENTS // 4)
        ]
    # The applicant writes (new partners, and each of its partners changed once); every
    # kind of caller reads.
    tokens = [applicant, applicant, token_of(SECRETARIAT), token_of(COMMISSION)]
    statuses = asyncio.run(_crowd(live_server, tokens, partner_ids))
    # 404: a commission member may not see that proposal; anything else is a failure.
    failures = [s for s in statuses if s >= 400 and s != 404]
    assert failures == [], sorted(set(statuses))
    with live_server.client(token_of(OTHER_APPLICANT)) as client:
        assert client.get("/api/v1/me").status_code == 200


async def _reads(server: LiveServer, token: str) -> list[int]:
    headers = {"Authorization": f"Bearer {token}"}
    paths = ["/api/v1/proposals?limit=50", "/api/v1/proposals/1", "/api/v1/me"] * 60
    limits = httpx.Limits(max_connections=len(paths), max_keepalive_connections=len(paths))
    async with httpx.AsyncClient(base_url=server.url, timeout=40, limits=limits) as client:
        answers = await asyncio.gather(*(client.get(path, headers=headers) for path in paths))
        # Still answering afterwards: nothing was left holding a connection.
        health = await client.get("/api/v1/health", timeout=5)
    return [answer.status_code for answer in answers] + [health.status_code]


def test_quick_reads_and_reads_in_worker_threads_at_once(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    """Reads made on the event loop and reads made in worker threads, far more of them at
    once than connections, never wait for each other's connections: a quick read that
    waited on the loop for a connection only the loop could give back stalled the whole
    server once."""
    statuses = asyncio.run(_reads(live_server, token_of(SECRETARIAT)))
    assert statuses == [200] * len(statuses)
