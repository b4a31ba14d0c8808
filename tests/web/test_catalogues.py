"""Every string of the pages is in both catalogues, translated; the language of a page is
the person's, else the one chosen, else the browser's, else French."""

import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from fundflow.core.catalogues import LANGUAGES, LOCALES_DIR, from_accept_language
from fundflow.web.i18n import Formats, choose_language
from tests.builders import World
from tests.web.pages import send_form, sign_in

ROOT = Path(__file__).resolve().parents[2]


def _catalogues_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The strings the code and the templates ask for, found as `make messages` finds them."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    return {message.id for message in _catalogues_script().extract(template) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_pages_is_translated(extracted: set[str], language: str):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted - translated)
    assert not missing, f"untranslated in {language} (run scripts/catalogues.py): {missing}"
    assert len(extracted) > 40  # extraction found the templates' strings


def test_french_is_really_french(extracted: set[str]):
    with (LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale="fr")
    # An entry copied from English is not a translation (names and codes excepted).
    same = [m.id for m in catalogue if m.id and m.string == m.id and len(m.id) > 12]
    assert not same, same


@pytest.mark.parametrize(
    ("profile", "cookie", "header", "expected"),
    [
        (None, None, None, "fr"),
        (None, None, "de-CH, de;q=0.9", "fr"),
        (None, None, "en-GB,en;q=0.9,fr;q=0.8", "en"),
        (None, None, "de-CH,fr;q=0.5,en;q=0.7", "en"),
        (None, None, "en;q=0, fr", "fr"),
        (None, "en", "fr-CH", "en"),
        ("fr", "en", "en", "fr"),
        (None, "xx", "garbage;q=abc, en", "en"),
    ],
)
def test_the_language_is_the_persons_then_chosen_then_the_browsers_then_french(
    profile: str | None, cookie: str | None, header: str | None, expected: str
):
    assert choose_language(profile, cookie, header) == expected


def test_a_long_accept_language_header_costs_nothing():
    assert from_accept_language(",".join(["zz"] * 10_000) + ",en") is None


def test_pages_follow_the_browser_then_the_switch(browser_client: TestClient, world: World):
    english = browser_client.get("/connexion", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.text and "<h1>Sign in</h1>" in english.text
    assert english.headers["content-language"] == "en"
    french = browser_client.get("/connexion")
    assert '<html lang="fr">' in french.text and "<h1>Se connecter</h1>" in french.text
    switched = send_form(
        browser_client, "/connexion", "/langue", {"language": "en", "back": "/connexion"}
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/connexion"
    assert "<h1>Sign in</h1>" in browser_client.get("/connexion").text


def test_a_signed_in_persons_choice_is_kept_in_their_profile(
    browser_client: TestClient, world: World
):
    sign_in(browser_client, "youssef@tafraout.example")
    send_form(browser_client, "/", "/langue", {"language": "en", "back": "/"})
    browser_client.cookies.delete("fundflow_lang")
    home = browser_client.get("/", headers={"accept-language": "fr"})
    assert '<html lang="en">' in home.text
    assert world.applicant_a.language == "en"


def test_amounts_and_dates_are_written_the_swiss_way():
    # As the CLDR writes them for fr-CH and en-CH.
    assert Formats("fr").money(Decimal("40000")) == "40'000,00\u00a0CHF"
    assert Formats("en").money(Decimal("1234.5")) == "CHF\u00a01'234.50"
    assert Formats("fr").money(Decimal("1234.5"), "EUR") == "1'234,50\u00a0€"
    # Millions keep both separators (Babel alone drops them, reading '440' as quoted).
    assert Formats("fr").money(Decimal("2440000")) == "2'440'000,00\u00a0CHF"
    assert Formats("en").money(Decimal("-1234567.5")) == "CHF-1'234'567.50"
    assert Formats("fr").number(Decimal("12345678.25")) == "12'345'678,25"
    assert Formats("en").date(date(2027, 6, 30)) == "30 June 2027"
    assert Formats("fr").date(date(2027, 6, 30)) == "30 juin 2027"
