"""The directory of associations in a real browser, with JavaScript on, off and on a
phone: an association member opts in and describes an initiative; anyone then finds the
association on the directory, its world map and its page. axe on every page visited."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import APPLICANT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

ASSOCIATION = "Association Tafraout Solidarité"


@pytest.mark.parametrize("way", list(WAYS))
def test_an_association_appears_in_the_directory(
    browser: Browser, live_server: LiveServer, way: str
):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, APPLICANT)
    page.get_by_role("link", name="Notre fiche dans l’annuaire des associations").click()
    expect(page.locator("h1")).to_have_text("Notre fiche dans l’annuaire")
    check_page(page, traffic, "directory-form", way)
    page.get_by_label("Oui, montrer notre fiche").check()
    page.get_by_label("Présentation (publique)").fill("Puits, écoles et santé dans l’Anti-Atlas.")
    initiative = page.locator("fieldset.subform").last
    initiative.get_by_label("Titre").fill(f"Cours de darija pour enfants ({way})")
    initiative.get_by_label("Pays").select_option("CH")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_role("status")).to_have_text("Enregistré.")
    context.close()

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion")
    page.get_by_role("link", name="Annuaire des associations").click()
    expect(page.locator("h1")).to_have_text("Annuaire des associations et des initiatives")
    expect(page.get_by_role("link", name=ASSOCIATION)).to_be_visible()
    # The map is drawn (an embedded document of ours), its countries links to their lists.
    the_map = None
    for _ in range(50):
        the_map = next((f for f in page.frames if f.url.endswith("/annuaire/carte.svg")), None)
        if the_map is not None:
            break
        page.wait_for_timeout(100)
    assert the_map is not None, "the map was not embedded"
    expect(the_map.locator("path").first).to_be_attached()
    assert the_map.locator("a").count() >= 2
    check_page(page, traffic, "directory", way)
    page.get_by_role("link", name="Suisse (", exact=False).click()
    expect(page.get_by_role("link", name=ASSOCIATION)).to_be_visible()
    page.get_by_role("link", name=ASSOCIATION).click()
    expect(page.get_by_text("Puits, écoles et santé dans l’Anti-Atlas.")).to_be_visible()
    expect(page.get_by_text(f"Cours de darija pour enfants ({way})")).to_be_visible()
    check_page(page, traffic, "directory-entry", way)
    context.close()
