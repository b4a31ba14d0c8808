"""Every answer names its request: the id a proxy sent when it looks like one, else a new
one; the error log carries the same id."""

import logging

import pytest
from fastapi.testclient import TestClient

from tests.builders import World


def test_each_answer_gets_its_own_new_id(client: TestClient):
    first = client.get("/api/v1/health").headers["x-request-id"]
    second = client.get("/api/v1/proposals").headers["x-request-id"]  # a 401 too
    assert len(first) == 32 and len(second) == 32 and first != second


def test_a_proxys_id_is_kept_and_a_strange_one_replaced(client: TestClient):
    kept = client.get("/api/v1/health", headers={"X-Request-ID": "lb-7f3a.2"})
    assert kept.headers["x-request-id"] == "lb-7f3a.2"
    replaced = client.get("/api/v1/health", headers={"X-Request-ID": "<script>" + "x" * 80})
    assert replaced.headers["x-request-id"] != "<script>" + "x" * 80
    assert len(replaced.headers["x-request-id"]) == 32


def test_the_error_log_names_the_request(
    client: TestClient,
    world: World,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    from fundflow.proposals import service

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "read_proposals_rendered", broken)
    with caplog.at_level(logging.ERROR, logger="fundflow"):
        answer = client.get(
            "/api/v1/proposals",
            headers={"X-Request-ID": "report-1234", **world.headers("secretariat")},
        )
    assert answer.status_code == 500
    assert answer.headers["x-request-id"] == "report-1234"
    assert any("request report-1234" in record.getMessage() for record in caplog.records)
