"""The Prometheus endpoint: only for the scraper's token; latency per route template; the
business figures counted from what was committed, never from what was refused."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from fundflow.core.config import get_settings
from tests.builders import World

TOKEN = "scraper-token-0123456789-abcdefghij"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def metrics_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FUNDFLOW_METRICS_TOKEN", TOKEN)
    get_settings.cache_clear()
    yield TOKEN
    get_settings.cache_clear()


def scrape(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics", headers=SCRAPER)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return float(samples.get((name, frozenset(labels.items())), 0.0))


def test_without_a_configured_token_there_is_no_metrics_endpoint(client: TestClient, world: World):
    for headers in ({}, SCRAPER, world.headers("admin")):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "who", ["admin", "secretariat", "authority", "commission", "applicant_a", None]
)
def test_no_user_reads_the_metrics_only_the_scraper(
    client: TestClient, world: World, metrics_token: str, who: str | None
):
    headers = world.headers(who) if who else {"Authorization": "Bearer not-the-token"}
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert client.get("/metrics", headers=SCRAPER).status_code == 200


def test_latency_is_recorded_per_route_template(
    client: TestClient, world: World, metrics_token: str
):
    proposal = world.proposal()
    route = "/api/v1/proposals/{proposal_id}"
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/api/v1/proposals/{proposal.id}", headers=world.headers("applicant_a"))
    assert client.get("/api/v1/proposals/999999", headers=world.headers("applicant_a"))
    after = scrape(client)
    count = "fundflow_http_request_duration_seconds_count"
    assert (
        value(after, count, method="GET", route=route)
        - value(before, count, method="GET", route=route)
        == 4
    )
    served = "fundflow_http_requests_total"
    for status, times in (("200", 3), ("404", 1)):
        labels = {"method": "GET", "route": route, "status": status}
        assert value(after, served, **labels) - value(before, served, **labels) == times
    raw = f"/api/v1/proposals/{proposal.id}"
    assert not any(dict(labels).get("route") == raw for _, labels in after)


def test_business_counters_count_what_was_committed(
    client: TestClient, world: World, metrics_token: str
):
    proposal = world.proposal()
    transitions = f"/api/v1/proposals/{proposal.id}/transitions"
    before = scrape(client)
    refused = client.post(  # another association's applicant: nothing happens
        transitions, json={"action": "submit"}, headers=world.headers("applicant_b")
    )
    assert refused.status_code == 404
    submitted = client.post(
        transitions, json={"action": "submit"}, headers=world.headers("applicant_a")
    )
    assert submitted.status_code == 200, submitted.text
    again = client.post(
        transitions, json={"action": "submit"}, headers=world.headers("applicant_a")
    )
    assert again.status_code == 409
    after = scrape(client)
    for name, labels in (
        ("fundflow_proposals_submitted_total", {}),
        ("fundflow_events_total", {"entity": "proposal", "action": "submit"}),
    ):
        assert value(after, name, **labels) - value(before, name, **labels) == 1
