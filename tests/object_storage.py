"""A real S3 API server (moto's standalone server, in its own process) on the loopback
interface, for the tests of the S3 document store."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str = "fundflow-test"
    access_key_id: str = "testing"
    secret_access_key: str = "testing"

    def environment(self) -> dict[str, str]:
        return {
            "FUNDFLOW_DOCUMENTS_STORE": "s3",
            "FUNDFLOW_S3_ENDPOINT_URL": self.endpoint_url,
            "FUNDFLOW_S3_BUCKET": self.bucket,
            "FUNDFLOW_S3_ACCESS_KEY_ID": self.access_key_id,
            "FUNDFLOW_S3_SECRET_ACCESS_KEY": self.secret_access_key,
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    server = S3Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # Buckets are made by the service's operator, not by fundflow.
                if httpx.put(f"{server.endpoint_url}/{server.bucket}").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the S3 server did not start")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
