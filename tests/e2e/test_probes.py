"""The probes an orchestrator calls, on a real server: alive, and ready for traffic."""

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
