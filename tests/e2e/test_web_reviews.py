"""A commission member's review in a real browser, with JavaScript on, off and on a phone:
their reviews listed, every criterion scored beside the proposal (the optional one marked
not applicable), a mistake first, the review submitted and the other member's then shown;
another member declares a conflict of interest in one click. axe on every page visited."""

from playwright.sync_api import Browser, expect

from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import COMMISSION, SECRETARIAT
from tests.e2e.server import LiveServer
from tests.e2e.test_web_pages import WAYS, check_page
from tests.e2e.test_web_portal import way_and_server  # noqa: F401 (the fixture)

SECOND_MEMBER = "commission2@fedevaco.example"


def test_a_member_reviews_and_another_declares_a_conflict(
    browser: Browser,
    way_and_server: tuple[str, LiveServer],  # noqa: F811 (the fixture)
):
    way, server = way_and_server
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    check = lambda name: check_page(page, traffic, name, way)  # noqa: E731

    sign_in(page, server, SECOND_MEMBER)
    page.get_by_role("link", name="Mes évaluations").click()
    expect(page.get_by_role("heading", name="À évaluer (1)")).to_be_visible()
    check("my-reviews")
    page.locator(".card a").first.click()
    expect(page.get_by_text("La demande", exact=True)).to_be_visible()
    check("review")

    scores = page.locator("select[name$='-score']")
    for index in range(scores.count()):
        scores.nth(index).select_option(["4", "3.5", "4.5", "3", "4", "2"][index % 6])
    # A mistake first: no recommendation.
    page.get_by_role("button", name="Remettre l’évaluation").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Choisissez une recommandation.")
    check("review-error")
    page.get_by_label("La financer", exact=True).check()
    page.get_by_label("Commentaire général").fill("Projet solide, partenaire expérimenté.")
    page.get_by_role("button", name="Remettre l’évaluation").click()
    expect(page.get_by_text("Votre évaluation est remise.")).to_be_visible()
    expect(page.get_by_role("heading", name="Les évaluations des autres membres")).to_be_visible()
    check("review-submitted")
    context.close()

    # The secretariat assigns the first member too, who declares a conflict of interest.
    with server.client(server.token(SECRETARIAT)) as api:
        in_review = api.get("/api/v1/proposals", params={"status": "in_review"}).json()["items"]
        member = next(
            m
            for m in api.get("/api/v1/commission-members").json()["items"]
            if m["email"] == COMMISSION
        )
        proposal_id = next(
            p["id"]
            for p in in_review
            if api.post(
                f"/api/v1/proposals/{p['id']}/reviews", json={"reviewer_id": member["user_id"]}
            ).status_code
            == 201
        )
    assert proposal_id
    context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    sign_in(page, server, COMMISSION)
    page.goto(f"{server.url}/evaluations")
    page.locator("section[aria-labelledby='reviews-assigned'] a").first.click()
    page.get_by_label("Pourquoi vous ne pouvez pas évaluer cette demande").fill(
        "Je suis membre de l'association."
    )
    page.get_by_role("button", name="Déclarer un conflit d’intérêts").click()
    expect(page.get_by_role("status")).to_contain_text("Votre conflit d’intérêts est enregistré")
    check("conflict-declared")
    context.close()
