"""The dashboard in a real browser, with JavaScript on, off and on a phone: the charts
drawn on the server beside their tables, a figure opening the projects behind it. axe on
every page visited."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import SECRETARIAT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page


@pytest.mark.parametrize("way", list(WAYS))
def test_the_dashboard_shows_its_figures(browser: Browser, live_server: LiveServer, way: str):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, SECRETARIAT)
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.locator("h1")).to_have_text("Tableau de bord")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    check_page(page, traffic, "dashboard", way)
    page.get_by_role("link", name="Maroc").click()
    expect(page.locator("h1")).to_have_text("Les projets derrière le chiffre")
    expect(page.get_by_role("link", name="Eau potable pour les douars d'Ammeln")).to_be_visible()
    check_page(page, traffic, "dashboard-projects", way)
    context.close()
