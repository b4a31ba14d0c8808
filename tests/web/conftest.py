from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


@pytest.fixture
def browser_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that behaves as a browser on the pages: HTTPS, cookies kept, redirects
    shown rather than followed."""
    with TestClient(
        app, base_url="https://testserver", follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client
