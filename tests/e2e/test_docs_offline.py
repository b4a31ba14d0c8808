"""/docs and /redoc render with no internet: their scripts and styles are served by the
service itself, and a headless Chromium (Debian's) shows the operations."""

from playwright.sync_api import Browser, Page, Route

from tests.e2e.server import LiveServer


def _offline_page(browser: Browser, server: LiveServer, outside: list[str]) -> Page:
    """A page that may reach the service and nothing else (as on a closed network)."""
    page = browser.new_page()

    def only_the_service(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)
    return page


def test_swagger_ui_shows_the_operations_offline(browser: Browser, live_server: LiveServer):
    outside: list[str] = []
    page = _offline_page(browser, live_server, outside)
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/proposals" in path for path in paths)
    assert any("/api/v1/exports/iati" in path for path in paths)
    assert outside == []
    page.close()


def test_redoc_shows_the_operations_offline(browser: Browser, live_server: LiveServer):
    outside: list[str] = []
    page = _offline_page(browser, live_server, outside)
    page.goto(f"{live_server.url}/redoc")
    # Redoc lists every operation in its menu, and renders each as a heading.
    page.get_by_text("Take an action on this proposal").first.wait_for(
        state="attached", timeout=30_000
    )
    page.locator("h2", has_text="Take an action on this proposal").first.wait_for(timeout=30_000)
    assert page.locator("h2").count() > 50
    assert outside == []
    page.close()
