"""An association's whole journey in a real browser, with JavaScript on, off and on a phone:
a draft started from a call without its partner, the call's rules shown unmet, each section
fixed, answers checked, declared and submitted; a revision asked by the secretariat and the
proposal submitted again; then the funded project's report written with a document and
submitted. axe-core finds nothing serious on any page visited.

Each way has a demo federation of its own: the secretariat's part (a revision request,
the agreement signed) is taken over the API, as the secretariat's pages come later.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import APPLICANT, SECRETARIAT, demo_server
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=list(WAYS))
def way_and_server(
    request: pytest.FixtureRequest,
    database_factory: Callable[[], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, LiveServer]]:
    with demo_server(database_factory, tmp_path_factory.mktemp("portal")) as server:
        yield request.param, server
    assert "Traceback" not in server.log(), server.log()[-5000:]


def secretariat(server: LiveServer) -> httpx.Client:
    return server.client(server.token(SECRETARIAT))


def save(page: Page) -> None:
    page.get_by_role("button", name="Enregistrer et revenir à la liste des étapes").click()
    expect(page.get_by_role("status").filter(has_text="Enregistré.")).to_be_visible()


def add_row(page: Page, button: str) -> None:
    page.get_by_role("button", name=button).click()


def test_an_association_drafts_submits_revises_and_reports(
    browser: Browser, way_and_server: tuple[str, LiveServer], tmp_path: Path
):
    way, server = way_and_server
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, server, APPLICANT)
    check = lambda name: check_page(page, traffic, name, way)  # noqa: E731

    page.get_by_role("link", name="Cofinancement de projets de coopération 2027").click()
    expect(page.get_by_role("heading", name="Les règles, en clair")).to_be_visible()
    check("call")
    page.get_by_label("Titre du projet").fill("Atelier de couture des femmes de Tafraout")
    page.get_by_role("button", name="Commencer la demande").click()

    # The draft has no partner yet: the rules say so, each leading to its section.
    failures = page.locator(".failures")
    expect(failures).to_contain_text("Indiquez l’organisation partenaire")
    check("task-list")
    failures.get_by_role("link", name="Il manque encore : le résumé.").click()
    expect(page.locator("h1")).to_have_text("Projet")
    check("section-project")
    page.get_by_label("Résumé").fill(
        "Un atelier équipé de dix machines où vingt femmes apprennent la couture et vendent "
        "leurs créations au marché hebdomadaire."
    )
    page.get_by_label("Pays où le projet a lieu").select_option("MA")
    page.get_by_label("Localité ou région").fill("Tafraout")
    page.get_by_label("Date de début").fill("2027-06-01")
    page.get_by_label("Date de fin").fill("2027-05-01")
    page.get_by_label("Égalité de genre").check()
    page.get_by_role("button", name="Enregistrer et revenir à la liste des étapes").click()
    # A mistake: the summary names it, what was typed stays.
    expect(page).to_have_title(
        "Erreur : Projet – Atelier de couture des femmes de Tafraout – fundflow"
    )
    check("section-project-error")
    page.locator("[data-error-summary]").get_by_role("link").first.click()
    page.get_by_label("Date de fin").fill("2028-05-31")
    expect(page.get_by_label("Localité ou région")).to_have_value("Tafraout")
    save(page)

    page.get_by_role("link", name="Partenaire local").first.click()
    page.get_by_label("Association Amazigh pour le développement d'Ammeln (MA)").check()
    check("section-partner")
    save(page)

    page.get_by_role("link", name="Budget").first.click()
    add_row(page, "Ajouter une ligne")
    page.get_by_label("Catégorie").first.select_option("equipment")
    page.get_by_label("Description").first.fill("Dix machines à coudre")
    page.get_by_label("Montant").first.fill("50000")
    add_row(page, "Ajouter une ligne")
    expect(page.get_by_label("Description").first).to_have_value("Dix machines à coudre")
    page.get_by_label("Catégorie").nth(1).select_option("training")
    page.get_by_label("Description").nth(1).fill("Formatrice, un an")
    page.get_by_label("Montant").nth(1).fill("30000")
    check("section-budget")
    save(page)

    page.get_by_role("link", name="Plan de financement").first.click()
    add_row(page, "Ajouter une ligne")
    page.get_by_label("Source").first.select_option("own_funds")
    page.get_by_label("Montant").first.fill("40000")
    page.get_by_label("Statut").first.select_option("confirmed")
    add_row(page, "Ajouter une ligne")
    page.get_by_label("Source").nth(1).select_option("requested")
    page.get_by_label("Montant").nth(1).fill("40000")
    page.get_by_label("Non", exact=True).check()
    check("section-financing")
    save(page)

    page.get_by_role("link", name="Cadre logique").first.click()
    page.get_by_label("Objectif général").fill("Des revenus propres pour les femmes de Tafraout")
    add_row(page, "Ajouter un résultat attendu")
    page.get_by_label("Résultat", exact=True).fill("Vingt femmes vivent de la couture")
    add_row(page, "Ajouter un indicateur")
    page.get_by_label("Ce qui est mesuré").fill("Femmes formées")
    page.get_by_label("Valeur de départ").fill("0")
    page.get_by_label("Cible").fill("20")
    check("section-logframe")
    save(page)

    page.get_by_role("link", name="Pièces jointes").first.click()
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF)
    page.get_by_label("Ajouter un fichier").set_input_files(str(statutes))
    page.get_by_role("button", name="Ajouter le fichier").click()
    expect(page.get_by_role("link", name="statuts.pdf")).to_be_visible()
    check("section-documents")
    page.get_by_role("link", name="Revenir à la liste des étapes").click()

    expect(page.get_by_text("La demande respecte toutes les règles de l’appel.")).to_be_visible()
    page.get_by_role("link", name="Vérifier vos réponses et faire la déclaration").click()
    expect(page.locator("h1")).to_have_text("Vérifiez vos réponses avant de déposer")
    check("check-answers")
    page.get_by_label("Je déclare que les informations données sont exactes").check()
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.locator("h1")).to_have_text("Demande déposée")
    check("submitted")
    proposal_id = page.url.split("/")[-2]

    # The secretariat asks for a revision; the association answers it in one click.
    with secretariat(server) as api:
        answer = api.post(
            f"/api/v1/proposals/{proposal_id}/transitions",
            json={"action": "return_for_revision", "comment": "Précisez le prix des machines."},
        )
        assert answer.status_code == 200, answer.text
    page.goto(f"{server.url}/propositions/{proposal_id}")
    expect(page.get_by_text("Précisez le prix des machines.")).to_be_visible()
    check("revision-requested")
    page.get_by_role("button", name="Déposer à nouveau la demande révisée").click()
    expect(page.locator("h1")).to_have_text("Demande déposée")

    # The funded project: the agreement signed, its first report written and submitted.
    with secretariat(server) as api:
        for commitment in api.get("/api/v1/projects/1/commitments").json()["items"]:
            if commitment["status"] == "proposed":
                confirmed = api.post(
                    f"/api/v1/commitments/{commitment['id']}/transitions",
                    json={"action": "confirm"},
                )
                assert confirmed.status_code == 200, confirmed.text
        signed = api.post("/api/v1/projects/1/transitions", json={"action": "sign_agreement"})
        assert signed.status_code == 200, signed.text
    page.goto(f"{server.url}/")
    expect(page.get_by_text("Prochaine étape : un rapport est à rendre le")).to_be_visible()
    page.get_by_role("link", name="Le rédiger").click()
    check("project")
    page.get_by_role("link", name="Rapport intermédiaire").first.click()
    check("report")
    page.get_by_label("Ce qui a été fait pendant la période").fill(
        "Les premiers puits sont creusés ; la pompe solaire est commandée."
    )
    for value in page.get_by_label("Valeur atteinte").all():
        value.fill("1")
    page.locator('input[name="expenses-0-amount"]').fill("12000")
    page.get_by_label("Fonds propres dépensés pendant la période").fill("0")
    page.get_by_role("button", name="Enregistrer le rapport").click()
    expect(page.get_by_role("status").filter(has_text="Enregistré.")).to_be_visible()
    statement = tmp_path / "decompte.pdf"
    statement.write_bytes(PDF)
    page.get_by_label("Ajouter un fichier").set_input_files(str(statement))
    page.get_by_role("button", name="Ajouter le fichier").click()
    expect(page.get_by_role("link", name="decompte.pdf")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et remettre le rapport").click()
    expect(page.get_by_text("Le rapport a été remis.")).to_be_visible()
    check("report-submitted")
    context.close()
