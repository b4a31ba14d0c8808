"""The pages in a real browser (Debian's Chromium): signing in with a mistake first, the
home, the language switch, the accessibility statement and signing out, with JavaScript
on and off and on a 360-px phone; axe-core finds nothing serious on any page, nothing is
fetched from elsewhere, and every page is light."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import Traffic, offline_context, serious_findings
from tests.e2e.conftest import APPLICANT
from tests.e2e.server import DEMO_PASSWORD, LiveServer

# Where the README's screenshots come from: set to a folder to (re)make them.
SCREENSHOTS = os.environ.get("FUNDFLOW_SCREENSHOTS")
README_SHOTS = {
    ("sign-in-error", "phone"),
    ("home", "javascript"),
    ("home", "phone"),
    ("task-list", "javascript"),
    ("section-budget", "phone"),
    ("section-project-error", "no-javascript"),
    ("check-answers", "javascript"),
    ("report", "phone"),
    ("ranking", "javascript"),
    ("session", "javascript"),
    ("assignment-board", "phone"),
    ("dashboard", "javascript"),
    ("register", "phone"),
    ("directory", "javascript"),
}
MAX_PAGE_BYTES = 150 * 1024
MAX_SCRIPT_BYTES = 50 * 1024

WAYS = {
    "javascript": {"java_script_enabled": True},
    "no-javascript": {"java_script_enabled": False},
    "phone": {
        "java_script_enabled": True,
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
    },
}


def check_page(page: Page, traffic: Traffic, name: str, way: str) -> None:
    """What every page must be, whatever it shows."""
    findings = serious_findings(page, scripts=WAYS[way]["java_script_enabled"])
    assert findings == [], f"axe on {name} ({way})"
    assert traffic.outside == []
    assert traffic.weight() <= MAX_PAGE_BYTES, f"{name}: {traffic.weight()} bytes"
    assert traffic.weight("script") <= MAX_SCRIPT_BYTES
    # Reflow: nothing wider than the screen (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if SCREENSHOTS and (name, way) in README_SHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}-{way}.png"), full_page=True)
    traffic.responses.clear()


@pytest.mark.parametrize("way", list(WAYS))
def test_an_association_member_signs_in_reads_and_signs_out(
    browser: Browser, live_server: LiveServer, way: str
):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/connexion?next=/")
    expect(page.locator("h1")).to_have_text("Se connecter")
    check_page(page, traffic, "sign-in", way)

    # A mistake first: the error summary names it, the address stays.
    page.get_by_label("Adresse e-mail").fill(APPLICANT)
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_title("Erreur : Se connecter – fundflow")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("L’adresse e-mail ou le mot de passe n’est pas correct.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(APPLICANT)
    if way != "no-javascript":
        expect(summary).to_be_focused()
    check_page(page, traffic, "sign-in-error", way)
    summary.get_by_role("link").click()
    if way != "no-javascript":
        expect(page.get_by_label("Adresse e-mail")).to_be_focused()

    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Bienvenue")
    expect(page.get_by_role("heading", name="Demandes")).to_be_visible()
    expect(page.get_by_role("heading", name="Appels ouverts")).to_be_visible()
    check_page(page, traffic, "home", way)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Open calls")).to_be_visible()
    check_page(page, traffic, "home-en", way)

    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", name="Report a barrier")).to_be_visible()
    check_page(page, traffic, "accessibility", way)

    page.get_by_role("button", name="Français").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté·e.")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/connexion?next=/")
    context.close()


def test_a_form_from_another_site_changes_nothing(browser: Browser, live_server: LiveServer):
    context, _ = offline_context(browser, live_server.url, locale="fr-CH")
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion")
    # A page elsewhere cannot know the token: its form is refused, as a page.
    page.set_content(
        f'<form method="post" action="{live_server.url}/connexion">'
        f'<input name="email" value="{APPLICANT}"><input name="password" value="{DEMO_PASSWORD}">'
        "<button>go</button></form>"
    )
    page.click("button")
    expect(page.locator("h1")).to_have_text("Le formulaire a expiré")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/connexion?next=/")
    context.close()


@pytest.mark.parametrize("way", ["no-javascript", "phone"])
def test_the_forgotten_password_pages(browser: Browser, live_server: LiveServer, way: str):
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.locator("h1")).to_have_text("Mot de passe oublié")
    check_page(page, traffic, "password-forgotten", way)
    page.get_by_role("button", name="M’envoyer un lien").click()
    expect(page).to_have_title("Erreur : Mot de passe oublié – fundflow")
    check_page(page, traffic, "password-forgotten-error", way)
    page.get_by_label("Adresse e-mail").fill(APPLICANT)
    page.get_by_role("button", name="M’envoyer un lien").click()
    expect(page.locator("h1")).to_have_text("Consultez vos e-mails")
    check_page(page, traffic, "password-link-sent", way)
    page.goto(f"{live_server.url}/mot-de-passe/nouveau?jeton=invente")
    expect(page.locator("h1")).to_have_text("Ce lien ne fonctionne plus")
    check_page(page, traffic, "password-link-expired", way)
    context.close()
