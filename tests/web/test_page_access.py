"""Who sees which page: every role signed in, and nobody signed in; another association's
proposals never appear; errors on pages are pages, on the API problem+json."""

import pytest
from fastapi.testclient import TestClient

from tests.builders import World
from tests.web.pages import sign_in

EMAILS = {
    "admin": "admin@fundflow.example",
    "secretariat": "secretariat@fedevaco.example",
    "commission": "expert@fedevaco.example",
    "applicant_a": "youssef@tafraout.example",
    "applicant_b": "fatou@teranga.example",
    "authority": "beat@ddc.example",
}


@pytest.mark.parametrize("who", list(EMAILS))
def test_every_role_has_a_home(browser_client: TestClient, world: World, who: str):
    sign_in(browser_client, EMAILS[who])
    home = browser_client.get("/")
    assert home.status_code == 200
    assert getattr(world, who).full_name in home.text


@pytest.mark.parametrize("path", ["/", "/?page=2"])
def test_nobody_signed_in_sees_no_home(browser_client: TestClient, world: World, path: str):
    answer = browser_client.get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion")


@pytest.mark.parametrize("who", [None, *EMAILS])
def test_the_accessibility_statement_is_for_everyone(
    browser_client: TestClient, world: World, who: str | None
):
    if who:
        sign_in(browser_client, EMAILS[who])
    page = browser_client.get("/accessibilite")
    assert page.status_code == 200 and "Signaler un obstacle" in page.text


def test_an_association_sees_its_own_proposals_only(browser_client: TestClient, world: World):
    mine = world.proposal(owner="a", title="Puits de Tafraout")
    theirs = world.proposal(owner="b", title="Moulin de Podor")
    sign_in(browser_client, EMAILS["applicant_a"])
    home = browser_client.get("/").text
    assert mine.title in home and theirs.title not in home
    browser_client.cookies.clear()
    sign_in(browser_client, EMAILS["applicant_b"])
    home = browser_client.get("/").text
    assert theirs.title in home and mine.title not in home


def test_the_secretariat_sees_submitted_proposals_not_drafts(
    browser_client: TestClient, world: World
):
    submitted = world.proposal(status="submitted", title="Puits déposé")  # type: ignore[arg-type]
    draft = world.proposal(title="Brouillon privé")
    sign_in(browser_client, EMAILS["secretariat"])
    home = browser_client.get("/").text
    assert submitted.title in home and draft.title not in home


def test_an_unknown_page_is_a_page_in_the_readers_language(browser_client: TestClient):
    page = browser_client.get("/nulle-part")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page introuvable" in page.text
    english = browser_client.get("/nowhere", headers={"accept-language": "en"})
    assert "Page not found" in english.text


def test_an_unknown_page_shows_the_signed_in_reader_in_their_language(
    browser_client: TestClient, world: World
):
    sign_in(browser_client, EMAILS["secretariat"])
    # Their account says French; the browser asks for English.
    page = browser_client.get("/nulle-part/encore", headers={"accept-language": "en"})
    assert page.status_code == 404
    assert "Page introuvable" in page.text
    assert world.secretariat.full_name in page.text and "Se déconnecter" in page.text


def test_an_unknown_address_keeps_the_routers_other_answers(browser_client: TestClient):
    # A page or an API read with a trailing slash is sent to the address without it.
    for address in ("/accessibilite/", "/api/v1/calls/"):
        answer = browser_client.get(address)
        assert answer.status_code == 307, address
        assert answer.headers["location"].endswith(address.rstrip("/"))
    assert browser_client.post("/nulle-part").status_code == 404
    unknown = browser_client.get("/nulle-part/")
    assert unknown.status_code == 404 and "Page introuvable" in unknown.text
    # An address known for another method: 405, as a page.
    known = browser_client.get("/langue")
    assert known.status_code == 405 and known.headers["content-type"].startswith("text/html")
    for asset in ("/static/web/nulle-part.css", "/api/v1/nowhere/"):
        answer = browser_client.get(asset)
        assert answer.status_code == 404, asset
        assert answer.headers["content-type"] == "application/problem+json"


def test_the_api_keeps_its_problem_answers(browser_client: TestClient):
    answer = browser_client.get("/api/v1/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_pages_run_no_inline_script_and_post_only_to_us(browser_client: TestClient):
    policy = browser_client.get("/connexion").headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy and "form-action 'self'" in policy
    # Only the API documentation's pages (Swagger UI, Redoc) need inline scripts.
    docs = browser_client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs
