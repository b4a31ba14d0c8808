"""Coaching in a real browser, with JavaScript on and off: an association shares its
draft, the secretariat comments for it and internally, the association reads only its own
comment, answers it, and it is resolved. axe on every page visited."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import APPLICANT, SECRETARIAT, new_draft
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page


@pytest.mark.parametrize("way", ["javascript", "no-javascript"])
def test_a_draft_is_coached_in_the_browser(browser: Browser, live_server: LiveServer, way: str):
    with live_server.client(live_server.token(APPLICANT)) as api:
        draft = new_draft(api)
    tasks = f"{live_server.url}/propositions/{draft['id']}"

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, APPLICANT)
    page.goto(tasks)
    page.get_by_role("button", name="Demander conseil au secrétariat").click()
    expect(page.get_by_text("Partagée avec le secrétariat pour conseil")).to_be_visible()
    check_page(page, traffic, "coaching-shared", way)
    context.close()

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, SECRETARIAT)
    page.goto(tasks)
    for visibility, text in (
        ("L’association (elle est prévenue par e-mail)", "Précisez le nombre de bénéficiaires."),
        ("Le secrétariat seulement (interne)", "Association solide, à encourager."),
    ):
        page.get_by_label("Étape").select_option("project")
        page.get_by_label(visibility).check()
        page.get_by_label("Commentaire", exact=True).fill(text)
        page.get_by_role("button", name="Enregistrer le commentaire").click()
        expect(page.get_by_text(text)).to_be_visible()
    check_page(page, traffic, "coaching-secretariat", way)
    context.close()

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, APPLICANT)
    page.goto(tasks)
    expect(page.get_by_text("Précisez le nombre de bénéficiaires.")).to_be_visible()
    expect(page.get_by_text("Association solide")).to_have_count(0)
    page.get_by_label("Votre réponse").fill("Trois cent cinquante ménages.")
    page.get_by_role("button", name="Répondre").click()
    expect(page.get_by_text("Trois cent cinquante ménages.")).to_be_visible()
    page.get_by_role("button", name="Marquer comme réglé").click()
    expect(page.get_by_text("Réglé", exact=False).first).to_be_visible()
    check_page(page, traffic, "coaching-answered", way)
    context.close()


@pytest.mark.parametrize("way", ["javascript", "no-javascript"])
def test_the_secretariat_returns_a_proposal_from_its_case_file(
    browser: Browser, live_server: LiveServer, way: str
):
    with live_server.client(live_server.token(APPLICANT)) as api:
        draft = new_draft(api)
        filled = api.patch(
            f"/api/v1/proposals/{draft['id']}",
            json={"summary": "Un atelier de couture pour vingt femmes."},
        )
        assert filled.status_code == 200, filled.text
    with live_server.client(live_server.token(SECRETARIAT)) as api:
        submitted = api.get("/api/v1/proposals", params={"status": "submitted"}).json()["items"]
    assert submitted, "the demo has submitted proposals"
    proposal = submitted[0]

    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, live_server, SECRETARIAT)
    page.get_by_role("link", name="Demandes à examiner").click()
    expect(page.locator("h1")).to_have_text("Demandes à examiner")
    check_page(page, traffic, "screening-queue", way)
    page.locator(f"a[href='/dossiers/{proposal['id']}']").click()
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    check_page(page, traffic, "case-file", way)
    form = page.locator("form", has=page.get_by_role("heading", name="Renvoyer pour révision"))
    form.get_by_role("button", name="Renvoyer pour révision").click()
    expect(page).to_have_title(f"Erreur : Dossier – {proposal['title']} – fundflow")
    check_page(page, traffic, "case-file-error", way)
    form = page.locator("form", has=page.get_by_role("heading", name="Renvoyer pour révision"))
    form.get_by_label("Commentaire").fill("Joignez le budget détaillé, s'il vous plaît.")
    form.get_by_role("button", name="Renvoyer pour révision").click()
    expect(page.get_by_role("status")).to_contain_text("Fait : Renvoyer pour révision.")
    expect(page.get_by_text("Joignez le budget détaillé")).to_be_visible()
    context.close()
