"""The public register in a real browser, nobody signed in, with JavaScript on, off and on
a phone: the list, a filter, a project's page with who co-finances it, the open data
links. axe on every page visited."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

PROJECT = "Eau potable pour les douars d'Ammeln"


@pytest.mark.parametrize("way", list(WAYS))
def test_anyone_reads_the_register_of_funded_projects(
    browser: Browser, live_server: LiveServer, way: str
):
    context, traffic = offline_context(
        browser, live_server.url, locale="fr-CH", accept_downloads=True, **WAYS[way]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion")
    page.get_by_role("link", name="Projets financés").click()
    expect(page.locator("h1")).to_have_text("Projets financés")
    check_page(page, traffic, "register", way)

    page.get_by_label("Pays").select_option("MA")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
    csv_link = page.get_by_role("link", name="ces projets (CSV)")
    expect(csv_link).to_have_attribute("href", "/projets-finances.csv?pays=MA")
    check_page(page, traffic, "register-filtered", way)
    for link, suffix in (
        ("ces projets (CSV)", ".csv"),
        ("tous les projets financés (IATI)", ".xml"),
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(suffix)
    feed = page.request.get(f"{live_server.url}/projets-finances.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert PROJECT in feed.text()

    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", name="Qui le cofinance")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Canton de Vaud")
    check_page(page, traffic, "public-project", way)
    context.close()
