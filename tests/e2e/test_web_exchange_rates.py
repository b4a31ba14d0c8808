"""The secretariat records an exchange rate on its page, in a real browser (JavaScript on,
off, on a 360-px phone): a wrong rate is shown on the form, a right one listed; a
commission member reads the rates and has no form. axe on each page."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import COMMISSION, SECRETARIAT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

DAYS = {"javascript": "2026-10-01", "no-javascript": "2026-10-02", "phone": "2026-10-03"}


@pytest.mark.parametrize("way", list(WAYS))
def test_the_secretariat_records_a_rate(browser: Browser, live_server: LiveServer, way: str):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, SECRETARIAT)
    page.get_by_role("link", name="Taux de change").click()
    expect(page.locator("h1")).to_have_text("Taux de change")
    check_page(page, traffic, "exchange-rates", way)

    page.get_by_label("S’applique dès le").fill(DAYS[way])
    page.get_by_label("Une unité de (monnaie, p. ex. EUR)").fill("EUR")
    page.get_by_label("Vaut, en (monnaie, p. ex. CHF)").fill("CHF")
    page.get_by_label("Taux", exact=True).fill("0,9351")
    page.get_by_label("Source").fill("AFC, moyenne mensuelle")
    page.get_by_role("button", name="Enregistrer le taux").click()
    expect(page.get_by_role("alert")).to_contain_text("Il y a un problème")
    check_page(page, traffic, "exchange-rates-refused", way)

    page.get_by_label("Taux", exact=True).fill("0.9351")
    page.get_by_role("button", name="Enregistrer le taux").click()
    expect(page.get_by_role("status")).to_contain_text("Le taux est enregistré.")
    expect(page.get_by_role("row").filter(has_text="1 EUR = 0,9351 CHF")).not_to_have_count(0)
    check_page(page, traffic, "exchange-rates-recorded", way)
    context.close()


def test_a_commission_member_reads_the_rates(browser: Browser, live_server: LiveServer):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH")
    page = context.new_page()
    sign_in(page, live_server, COMMISSION)
    page.goto(f"{live_server.url}/taux-de-change")
    expect(page.locator("h1")).to_have_text("Taux de change")
    expect(page.get_by_role("button", name="Enregistrer le taux")).to_have_count(0)
    check_page(page, traffic, "exchange-rates-read", "javascript")
    context.close()
