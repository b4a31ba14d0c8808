"""`fundflow serve` in a subprocess on a free port, driven over HTTP like any client."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DEMO_PASSWORD = "e2e-demo-password-0123"
FUNDFLOW = Path(sys.executable).parent / "fundflow"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FUNDFLOW_DATABASE_URL=database_url,
        FUNDFLOW_ENVIRONMENT="test",
        FUNDFLOW_SECRET_KEY="e2e-secret-key-0123456789-abcdefghijklmnop",
        **extra,
    )
    return env


def run_command(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(FUNDFLOW), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class LiveServer:
    """One running `fundflow serve`; `restart` and `kill` act on the real process."""

    database_url: str
    log_path: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    serve_options: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        return server_env(self.database_url, **self.env_extra)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(FUNDFLOW), "serve", "--port", str(self.port), *self.serve_options],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """`kill -9`: nothing is flushed, closed or rolled back by the process itself."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self, token: str | None = None, *, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def token(self, email: str, password: str = DEMO_PASSWORD) -> str:
        response = httpx.post(
            f"{self.url}/api/v1/auth/token",
            data={"username": email, "password": password},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


@contextmanager
def running(server: LiveServer) -> Iterator[LiveServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
