"""A person signed in on a laptop and on a phone ends the phone's sign-in from the laptop,
in a real browser (JavaScript on, off, on a 360-px phone): the phone is sent to sign in
again on its next page. axe on the page."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import AUTHORITY
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page


@pytest.mark.parametrize("way", list(WAYS))
def test_a_lost_phone_is_signed_out_from_the_laptop(
    browser: Browser, live_server: LiveServer, way: str
):
    phone_context, _ = offline_context(
        browser, live_server.url, locale="fr-CH", user_agent=f"Lost phone ({way})"
    )
    phone = phone_context.new_page()
    sign_in(phone, live_server, AUTHORITY)

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, AUTHORITY)
    page.get_by_role("link", name="Vos connexions").click()
    expect(page.locator("h1")).to_have_text("Vos connexions")
    row = page.get_by_role("row").filter(has_text=f"Lost phone ({way})")
    expect(row).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="celle-ci")).to_have_count(1)
    check_page(page, traffic, "sign-ins", way)

    row.get_by_role("button", name="Terminer cette connexion").click()
    expect(page.get_by_role("status")).to_contain_text("cet appareil devra se reconnecter")
    expect(page.get_by_role("row").filter(has_text=f"Lost phone ({way})")).to_have_count(0)
    check_page(page, traffic, "sign-ins-ended", way)

    phone.goto(f"{live_server.url}/")
    expect(phone).to_have_url(f"{live_server.url}/connexion?next=/")
    # The laptop is still signed in.
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Bienvenue")
    phone_context.close()
    context.close()
