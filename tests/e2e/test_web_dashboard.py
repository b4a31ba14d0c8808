"""The dashboard in a real browser, with JavaScript on, off and on a phone: the charts
drawn on the server beside their tables, a figure opening the projects behind it. axe on
every page visited."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import AUTHORITY, SECRETARIAT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

PROJECT = "Eau potable pour les douars d'Ammeln"


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
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
    check_page(page, traffic, "dashboard-projects", way)
    context.close()


@pytest.mark.parametrize("way", ["javascript", "no-javascript"])
def test_an_authority_reads_its_funders_figures_and_downloads_them(
    browser: Browser, live_server: LiveServer, way: str
):
    # The federal agency confirms its share of the demo's approved project.
    with live_server.client(live_server.token(AUTHORITY)) as api:
        for commitment in api.get("/api/v1/projects/1/commitments").json()["items"]:
            if commitment["status"] == "proposed":
                confirmed = api.post(
                    f"/api/v1/commitments/{commitment['id']}/transitions",
                    json={"action": "confirm"},
                )
                assert confirmed.status_code == 200, confirmed.text
    context, traffic = offline_context(
        browser, live_server.url, locale="fr-CH", accept_downloads=True, **WAYS[way]
    )
    page = context.new_page()
    sign_in(page, live_server, AUTHORITY)
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_text("Les projets que votre bailleur cofinance")).to_be_visible()
    # Only the project its funder co-finances: one association, one country.
    by_association = page.locator("section[aria-labelledby='organisation-title'] tbody tr")
    expect(by_association).to_have_count(1)
    check_page(page, traffic, "dashboard-authority", way)
    for link, suffix in (
        ("chiffres par appel (CSV)", ".csv"),
        ("chiffres par appel (XLSX)", ".xlsx"),
        ("les projets (IATI)", ".xml"),
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(suffix)
    page.get_by_role("link", name="Maroc").click()
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_text("Partenaire local")).to_be_visible()
    check_page(page, traffic, "project-authority", way)
    context.close()
