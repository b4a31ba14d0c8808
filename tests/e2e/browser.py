"""Debian's Chromium driven by Playwright (never a browser downloaded by a test tool), and
what the browser tests check on every page: axe-core finds nothing serious, nothing is
fetched from elsewhere, and the page is light."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    Route,
    expect,
    sync_playwright,
)

from tests.e2e.server import DEMO_PASSWORD, LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}
_axe = Axe()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def serious_findings(page: Page, *, scripts: bool = True) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now. axe is a script:
    where the page's scripts are off, it checks the same markup (served at the same
    address) in a page of its own that runs scripts."""
    if not scripts:
        devtools = page.context.new_cdp_session(page)
        html = devtools.send(
            "Runtime.evaluate",
            {"expression": "document.documentElement.outerHTML", "returnByValue": True},
        )["result"]["value"]
        devtools.detach()
        browser = page.context.browser
        assert browser is not None
        twin = browser.new_page()
        try:
            twin.route(
                page.url,
                lambda route: route.fulfill(
                    body="<!doctype html>" + html, content_type="text/html; charset=utf-8"
                ),
            )
            twin.goto(page.url)
            return serious_findings(twin)
        finally:
            twin.close()
    violations = _axe.run(page).response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in SERIOUS
    ]


@dataclass
class Traffic:
    """What a page fetched: from the service (bytes per kind) and from anywhere else."""

    service_url: str
    outside: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)

    def only_the_service(self, route: Route) -> None:
        if route.request.url.startswith(self.service_url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def note(self, response: Response) -> None:
        self.responses.append(response)

    def weight(self, kind: str | None = None) -> int:
        total = 0
        for response in self.responses:
            if kind is None or response.request.resource_type == kind:
                # As sent (the service does not compress; a proxy in front would).
                total += int(response.headers.get("content-length", "0"))
        return total


def offline_context(
    browser: Browser, service_url: str, **options: Any
) -> tuple[BrowserContext, Traffic]:
    """A browser context that may reach the service and nothing else (as on a closed
    network), counting what it fetches."""
    context = browser.new_context(**options)
    traffic = Traffic(service_url)
    context.route("**/*", traffic.only_the_service)
    context.on("response", traffic.note)
    return context, traffic


def sign_in(page: Page, server: LiveServer, email: str) -> None:
    """Sign in through the form as one of the demo's people."""
    page.goto(f"{server.url}/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_contain_text("Bienvenue")
