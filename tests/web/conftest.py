from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fundflow.core.config import get_settings
from fundflow.core.deps import settings as settings_dependency
from tests.mail import Inbox


@pytest.fixture
def browser_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that behaves as a browser on the pages: HTTPS, cookies kept, redirects
    shown rather than followed."""
    with TestClient(
        app, base_url="https://testserver", follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client


@pytest.fixture
def inbox(app: FastAPI, smtp: tuple[Inbox, int]) -> Inbox:
    """What the service mails, its links pointing at https://fundflow.example/."""
    mailbox, port = smtp
    configured = get_settings().model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "public_url": "https://fundflow.example/",
        }
    )
    app.dependency_overrides[settings_dependency] = lambda: configured
    return mailbox
