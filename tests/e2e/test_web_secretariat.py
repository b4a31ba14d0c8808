"""The secretariat runs a call in a real browser, with JavaScript on, off and on a phone:
the list of proposals, the assignment board, the ranking, a commission session with a
decision taken during it and its minutes printed, the decided project's co-financing
allocated; the funder's staff confirm their commitment; the agreement is signed and the
first tranche paid; a report is read and approved from the follow-up page. axe on every
page visited."""

from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import APPLICANT, AUTHORITY, SECRETARIAT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page
from tests.e2e.test_web_portal import way_and_server  # noqa: F401 (the fixture)

CALL = "Cofinancement de projets de coopération 2027"
PROJECT = "Eau potable pour les douars d'Ammeln"


def _submit_first_report(server: LiveServer, project_id: int) -> int:
    """The association writes and submits the project's first report (as in its portal)."""
    with server.client(server.token(APPLICANT)) as api:
        report = api.get(f"/api/v1/projects/{project_id}/reports").json()[0]
        indicators = api.get(f"/api/v1/projects/{project_id}/indicators").json()
        saved = api.put(
            f"/api/v1/reports/{report['id']}",
            json={
                "narrative": "Les deux premiers puits sont creusés.",
                "own_funds_spent": "0",
                "indicator_values": [
                    {"indicator_id": i["indicator_id"], "value": "1"} for i in indicators
                ],
                "expenses": [{"category": "investment", "amount": "9000.00"}],
                "version": report.get("version", 1),
            },
        )
        assert saved.status_code == 200, saved.text
        submitted = api.post(
            f"/api/v1/reports/{report['id']}/transitions", json={"action": "submit"}
        )
        assert submitted.status_code == 200, submitted.text
        return int(report["id"])


def test_the_secretariat_runs_a_call_from_assignment_to_payment(
    browser: Browser,
    way_and_server: tuple[str, LiveServer],  # noqa: F811 (the fixture)
):
    way, server = way_and_server
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    check = lambda name: check_page(page, traffic, name, way)  # noqa: E731
    sign_in(page, server, SECRETARIAT)
    check("secretariat-home")

    # Every proposal, filtered by state.
    page.get_by_role("link", name="Toutes les demandes").click()
    expect(page.locator("h1")).to_have_text("Toutes les demandes")
    page.get_by_label("État").select_option("in_review")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody .state").first).to_have_text("En évaluation")
    check("worklist")

    # The assignment board: a third reviewer for every proposal in review.
    page.goto(f"{server.url}/")
    page.get_by_role("link", name=f"Tableau des attributions – {CALL}").click()
    expect(page.locator("h1")).to_have_text("Tableau des attributions")
    page.get_by_label("Évaluateurs et évaluatrices par demande").fill("zéro")
    page.get_by_role("button", name="Lancer l’attribution").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check("assignment-board-error")
    page.get_by_label("Évaluateurs et évaluatrices par demande").fill("3")
    page.get_by_role("button", name="Lancer l’attribution").click()
    expect(page.get_by_role("status")).to_contain_text("évaluation(s) attribuée(s)")
    check("assignment-board")

    # The ranking with its budget line.
    page.get_by_role("link", name="Classement").first.click()
    expect(page.get_by_role("heading", name="La ligne budgétaire")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger le classement (CSV)")).to_be_visible()
    check("ranking")

    # A session: recorded, a proposal decided during it, the minutes printed.
    page.goto(f"{server.url}/seances")
    check("sessions")
    page.get_by_label("Titre").fill("Commission technique – décembre 2026")
    page.get_by_label("Appel dont elle décide les demandes").select_option(label=CALL)
    page.locator("input[name='members_present']").first.check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.locator("h1")).to_have_text("Commission technique – décembre 2026")
    # The first proposal whose reviews are all in (the others say what they wait for).
    first = page.locator("section.card").filter(has_not_text="Pas encore possible").first
    title = first.locator("h3 a").inner_text()
    first.get_by_label("Résultat").select_option("approved")
    first.get_by_label("Montant accordé").fill("25000")
    first.get_by_role("button", name="Décider").click()
    expect(page.locator("[data-error-summary] a[href$='-decide-rationale']")).to_be_visible()
    check("session-error")
    first = page.locator("section.card", has=page.get_by_role("link", name=title))
    first.get_by_label("Motivation").fill("Projet pertinent, budget réaliste.")
    first.get_by_role("button", name="Décider").click()
    expect(page.get_by_role("status")).to_contain_text("La décision est inscrite")
    expect(page.locator("#pv ~ table")).to_contain_text(title)
    check("session")
    page.get_by_role("link", name="Le procès-verbal, à imprimer").click()
    expect(page.locator("h1")).to_contain_text("Procès-verbal de Commission technique")
    expect(page.get_by_text("Projet pertinent, budget réaliste.")).to_be_visible()
    check("minutes")

    # The approved project's co-financing: the allocation proposed to the funders.
    page.goto(f"{server.url}/")
    page.get_by_role("link", name=f"Cofinancement – {CALL}").click()
    expect(page.get_by_role("heading", name="Proposition de répartition")).to_be_visible()
    expect(page.locator("table").first).to_contain_text(title)
    check("allocation")
    page.get_by_role("button", name="Proposer ces engagements aux bailleurs").click()
    expect(page.get_by_role("status")).to_contain_text("engagement(s) proposé(s)")
    expect(
        page.get_by_role("heading", name="Engagements pour les projets de l’appel")
    ).to_be_visible()
    check("allocation-applied")
    context.close()

    # The federal agency's staff confirm its share of the demo's approved project.
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, server, AUTHORITY)
    page.get_by_role("link", name="Engagements à confirmer").click()
    expect(page.locator("h1")).to_have_text("Engagements")
    check("commitments")
    page.get_by_role("button", name="Confirmer l’engagement").first.click()
    expect(page.get_by_role("status")).to_contain_text("C’est fait.")
    context.close()

    # The agreement signed and the first tranche paid, from the project's page.
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, server, SECRETARIAT)
    with server.client(server.token(SECRETARIAT)) as api:
        project = next(
            p for p in api.get("/api/v1/projects").json()["items"] if p["title"] == PROJECT
        )
    page.goto(f"{server.url}/projets/{project['id']}")
    check("project-secretariat")
    page.get_by_role("button", name="Enregistrer la signature de la convention").click()
    expect(page.get_by_role("status")).to_contain_text("C’est fait.")
    page.get_by_label("Référence du versement").fill("VIR-2026-118")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_role("status")).to_contain_text("Le versement est enregistré.")
    expect(page.get_by_text("VIR-2026-118")).to_be_visible()
    check("project-paid")
    # A suspension needs its reason: refused, said, nothing changed.
    page.get_by_role("button", name="Suspendre le projet").click()
    expect(page.locator("h1")).to_have_text("Cela n’a pas pu être fait")
    expect(page.locator("[data-error-summary] a[href='#suspend-comment']")).to_be_visible()
    check("action-refused")
    page.get_by_role("link", name="Retour").click()
    expect(page.locator(".caption")).to_contain_text("En cours")

    # The first report, read and approved from the follow-up page.
    report_id = _submit_first_report(server, project["id"])
    page.goto(f"{server.url}/")
    page.get_by_role("link", name="Suivi des projets").click()
    expect(page.get_by_role("heading", name="Rapports à lire (1)")).to_be_visible()
    check("follow-up")
    page.locator(f"a[href='/rapports/{report_id}']").click()
    expect(page.get_by_text("Les deux premiers puits sont creusés.")).to_be_visible()
    check("report-to-read")
    page.get_by_role("button", name="Approuver le rapport").click()
    expect(page.get_by_role("status")).to_contain_text("C’est fait.")
    expect(page.locator(".caption")).to_contain_text("Approuvé")
    context.close()
