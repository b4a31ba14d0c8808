"""A retry with the same Idempotency-Key answers what the first request answered (defect 2)."""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.e2e.conftest import APPLICANT
from tests.e2e.server import LiveServer


def _partner(name: str) -> dict[str, str]:
    return {"name": name, "country": "MA", "locality": "Tiznit", "kind": "ngo"}


def _partners_named(client: httpx.Client, name: str) -> list[dict[str, object]]:
    found, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/partners", params={"limit": 200, **({"cursor": cursor} if cursor else {})}
        ).json()
        found += [p for p in page["items"] if p["name"] == name]
        if not (cursor := page["next_cursor"]):
            return found


def test_a_sequential_retry_returns_the_first_answer(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    name = f"Coopérative {uuid.uuid4().hex[:8]}"
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    with live_server.client(token_of(APPLICANT)) as client:
        first = client.post("/api/v1/partners", json=_partner(name), headers=headers)
        retries = [
            client.post("/api/v1/partners", json=_partner(name), headers=headers) for _ in range(3)
        ]
        assert first.status_code == 201
        for retry in retries:
            assert retry.status_code == 201
            assert retry.json() == first.json()
            assert retry.headers["Idempotent-Replayed"] == "true"
        assert len(_partners_named(client, name)) == 1


def test_parallel_retries_create_once_and_never_fail(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    name = f"Réseau {uuid.uuid4().hex[:8]}"
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    token = token_of(APPLICANT)

    def post(_: int) -> httpx.Response:
        with live_server.client(token) as client:
            return client.post("/api/v1/partners", json=_partner(name), headers=headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(post, range(20)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = [a.json() for a in answers if a.status_code == 201]
    assert created and all(body == created[0] for body in created)
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.headers["Retry-After"] == "1"
        assert busy.headers["content-type"] == "application/problem+json"
    with live_server.client(token) as client:
        # Once the first has finished, every retry learns its id.
        again = client.post("/api/v1/partners", json=_partner(name), headers=headers)
        assert again.status_code == 201 and again.json() == created[0]
        assert len(_partners_named(client, name)) == 1


def test_a_key_reused_for_another_request_is_refused(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    with live_server.client(token_of(APPLICANT)) as client:
        first = client.post("/api/v1/partners", json=_partner("Une"), headers=headers)
        other = client.post("/api/v1/partners", json=_partner("Autre"), headers=headers)
    assert first.status_code == 201
    assert other.status_code == 422
