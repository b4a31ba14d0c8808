"""Helpers for tests of the pages: a browser-like client (HTTPS, so that the session's
Secure cookie comes back), forms sent with their page's CSRF token, signing in."""

import re

from fastapi.testclient import TestClient

from tests.builders import PASSWORD

_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def send_form(client: TestClient, page: str, action: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    """Open ``page``, then send its form to ``action`` with ``fields``, as a browser would."""
    shown = client.get(page)
    assert shown.status_code == 200, shown.text
    return client.post(action, data={"csrftoken": csrf_token(shown.text), **fields})


def sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    answer = send_form(
        client, "/connexion", "/connexion", {"email": email, "password": password, "next": "/"}
    )
    assert answer.status_code == 303, answer.text
    return answer
