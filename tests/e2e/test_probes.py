"""The probes an orchestrator calls, on a real server: alive, and ready for traffic."""

import json
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import demo_server
from tests.e2e.server import LiveServer


def test_a_migrated_server_is_alive_and_ready(live_server: LiveServer) -> None:
    with live_server.client() as client:
        assert client.get("/api/v1/health").json() == {"status": "ok"}
        assert client.get("/api/v1/ready").json() == {"status": "ready"}


def test_a_real_server_names_each_request(live_server: LiveServer) -> None:
    with live_server.client() as client:
        answer = client.get("/api/v1/me", headers={"X-Request-ID": "support-42"})
        assert answer.status_code == 401
        assert answer.headers["x-request-id"] == "support-42"
        assert len(client.get("/api/v1/health").headers["x-request-id"]) == 32


METRICS_TOKEN = "scraper-token-for-the-tests-0123456789"


def test_two_workers_are_scraped_as_one_and_log_json_lines(
    database_factory: Callable[[], str], tmp_path: Path
) -> None:
    """What an operator of a fleet relies on: a scrape adds up the figures of every worker,
    and each log line is a JSON object naming its request."""
    environment = {"FUNDFLOW_METRICS_TOKEN": METRICS_TOKEN, "FUNDFLOW_LOG_FORMAT": "json"}
    with demo_server(database_factory, tmp_path, environment, ("--workers", "2")) as server:
        # The server answers once one worker is up; the other may still be starting.
        deadline = time.monotonic() + 60
        while server.log().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, server.log()[-3000:]
            time.sleep(0.1)
        with server.client() as client:
            for n in range(40):
                answer = client.get("/api/v1/health", headers={"X-Request-ID": f"probe-{n}"})
                assert answer.status_code == 200
            assert client.get("/metrics").status_code == 401
            scrapes = [
                client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
                for _ in range(4)
            ]
        log = server.log()
    for scrape in scrapes:
        assert scrape.status_code == 200
        served = counted(scrape.text, 'route="/api/v1/health",status="200"')
        assert served >= 40, scrape.text[:2000]
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "fundflow.access"]
    assert {f"probe-{n}" for n in range(40)} <= {line["request_id"] for line in access}
    assert {line["status"] for line in access if line["request_id"] == "probe-0"} == {200}
    started = [line for line in lines if "Application startup complete" in line["message"]]
    assert len(started) == 2, log[-3000:]  # one per worker, in JSON too


def counted(exposition: str, labels: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in exposition.splitlines()
        if line.startswith("fundflow_http_requests_total{") and labels in line
    )
