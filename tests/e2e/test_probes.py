"""The probes an orchestrator calls, on a real server: alive, and ready for traffic."""

from tests.e2e.server import LiveServer


def test_a_migrated_server_is_alive_and_ready(live_server: LiveServer) -> None:
    with live_server.client() as client:
        assert client.get("/api/v1/health").json() == {"status": "ok"}
        assert client.get("/api/v1/ready").json() == {"status": "ready"}
