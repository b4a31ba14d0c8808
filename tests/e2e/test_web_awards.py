"""An award round in a real browser, over `fundflow serve`: an association nominates an
employer on the pages; `fundflow remind` tells the employer, who accepts through the
e-mailed link without an account; the jury scores, one member declaring a conflict of
interest and another refused for one; the ranking; the secretariat decides the prize and
its citation, records the agreement and the single payment; the round closed, the
laureate is public with a certificate to print, and the nominations not awarded are not.
The public pages and the nominee's page are checked with JavaScript on, off and on a
phone (axe on each)."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.awards.builders import round_payload
from tests.e2e.browser import offline_context, sign_in
from tests.e2e.conftest import AUTHORITY, COMMISSION, OTHER_APPLICANT, SECRETARIAT, demo_server
from tests.e2e.server import LiveServer, run_command
from tests.e2e.test_web_pages import WAYS, check_page
from tests.mail import Inbox

SECOND_MEMBER = "commission2@fedevaco.example"
# A commission member who also belongs to association Tafraout: in conflict on its nomination.
KARIM = "karim@tafraout.example"
ROUND = "Prix de l'intégration 2027"
CITATION = "Pour quatre apprentissages offerts chaque année à des jeunes réfugiés."


@pytest.fixture(scope="module")
def server(
    database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server of its own: `fundflow remind` runs on its database."""
    with demo_server(database_factory, tmp_path_factory.mktemp("awards")) as running:
        yield running
    assert "Traceback" not in running.log(), running.log()[-5000:]


def api(server: LiveServer, email: str) -> httpx.Client:
    return server.client(server.token(email))


def act(client: httpx.Client, path: str, **body: Any) -> dict[str, Any]:
    answer = client.post(f"/api/v1/{path}/transitions", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def score(page: Page, server: LiveServer, email: str, proposal_title: str) -> None:
    sign_in(page, server, email)
    page.goto(f"{server.url}/evaluations")
    page.get_by_role("link", name=proposal_title).first.click()
    scores = page.locator("select[name$='-score']")
    for index in range(scores.count()):
        scores.nth(index).select_option("4.5")
    page.get_by_label("La financer", exact=True).check()
    page.get_by_role("button", name="Remettre l’évaluation").click()
    expect(page.get_by_text("Votre évaluation est remise.")).to_be_visible()


def test_an_award_round_from_nomination_to_certificate(
    browser: Browser, server: LiveServer, smtp: tuple[Inbox, int], tmp_path: Path
):
    with api(server, SECRETARIAT) as secretariat:
        # One review is enough in this round: the demo's jury has three members, one of
        # them in conflict with each nomination.
        created = secretariat.post(
            "/api/v1/calls", json=round_payload(title=ROUND, rules={"min_reviews": 1})
        )
        assert created.status_code == 201, created.text
        call = act(secretariat, f"calls/{created.json()['id']}", action="open")

    # Association Tafraout nominates an employer, on the pages.
    context, traffic = offline_context(browser, server.url, locale="fr-CH")
    page = context.new_page()
    check = lambda name: check_page(page, traffic, name, "javascript")  # noqa: E731
    sign_in(page, server, "applicant@tafraout.example")
    page.goto(f"{server.url}/appels/{call['id']}")
    expect(page.get_by_role("heading", name="Catégories")).to_be_visible()
    check("award-call")
    page.get_by_label("Titre de la candidature").fill("Des apprentissages pour réfugiés")
    page.get_by_role("button", name="Commencer la candidature").click()
    page.get_by_role("link", name="Candidature").first.click()
    page.get_by_label("Employeur intégrant").check()
    page.get_by_label("Une autre organisation").check()
    page.get_by_label("Nom de l'organisation proposée").fill("Menuiserie Rochat SA")
    page.get_by_label("Genre d'organisation").select_option("employer")
    page.get_by_label("Adresse e-mail de l'organisation proposée").fill("rochat")
    page.get_by_label("Ce qui a été accompli").fill(
        "Depuis 2022, quatre apprentis réfugiés formés chaque année, chacun parrainé."
    )
    page.get_by_label("Localité").fill("Yverdon-les-Bains")
    page.get_by_role("button", name="Enregistrer et revenir à la liste des étapes").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check("nomination-error")
    page.get_by_label("Adresse e-mail de l'organisation proposée").fill("direction@rochat.example")
    page.get_by_role("button", name="Enregistrer et revenir à la liste des étapes").click()
    expect(page.get_by_text("La demande respecte toutes les règles de l’appel.")).to_be_visible()
    page.get_by_role("link", name="Vérifier vos réponses et faire la déclaration").click()
    expect(page.get_by_text("Menuiserie Rochat SA")).to_be_visible()
    check("nomination-check")
    page.get_by_label("Je déclare que les informations données sont exactes").check()
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("h1")).to_have_text("Demande déposée")
    nominated_id = int(page.url.split("/")[-2])
    context.close()

    # Association Teranga nominates itself, over the API.
    with api(server, OTHER_APPLICANT) as teranga:
        own = teranga.post(
            "/api/v1/proposals",
            json={
                "call_id": call["id"],
                "title": "Teranga Vaud, dix ans de cours de wolof et de français",
                "summary": "Des cours de langue donnés par et pour la diaspora sénégalaise.",
                "country": "CH",
                "locality": "Lausanne",
                "nomination": {"category": "diaspora", "self_nomination": True},
            },
        )
        assert own.status_code == 201, own.text
        own_id = own.json()["id"]
        act(teranga, f"proposals/{own_id}", action="submit")

    # The daily job tells the employer, who accepts through the link, without an account.
    inbox, port = smtp
    told = run_command(
        server.env
        | {
            "FUNDFLOW_SMTP_HOST": "127.0.0.1",
            "FUNDFLOW_SMTP_PORT": str(port),
            "FUNDFLOW_PUBLIC_URL": server.url,
        },
        "remind",
    )
    assert "told 1 nominee(s)" in told
    [body] = [b for to, _, b in inbox.messages if to == ["direction@rochat.example"]]
    link = re.search(r"(http://\S+/distinctions/nomination\?jeton=\S+)", body)
    assert link
    for way in WAYS:
        context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
        page = context.new_page()
        page.goto(link.group(1))
        expect(page.get_by_text("a proposé Menuiserie Rochat SA")).to_be_visible()
        check_page(page, traffic, "nominee-answer", way)
        if way == "no-javascript":
            page.get_by_role("button", name="Envoyer ma réponse").click()
            expect(page.locator("[data-error-summary]")).to_be_visible()
            check_page(page, traffic, "nominee-answer-error", way)
            page.get_by_label("Oui, nous l'acceptons").check()
            page.get_by_role("button", name="Envoyer ma réponse").click()
            expect(page.get_by_role("status")).to_contain_text("vous avez accepté")
            check_page(page, traffic, "nominee-answered", way)
        context.close()

    # The jury: both nominations in review, two members each; Karim is refused for the
    # nomination of his own association; a member in conflict on the other declares it.
    with api(server, SECRETARIAT) as secretariat:
        members = {
            m["email"]: m["user_id"]
            for m in secretariat.get("/api/v1/commission-members").json()["items"]
        }
        for pid in (nominated_id, own_id):
            act(secretariat, f"proposals/{pid}", action="accept_for_review")

        def assign(pid: int, email: str) -> httpx.Response:
            return secretariat.post(
                f"/api/v1/proposals/{pid}/reviews", json={"reviewer_id": members[email]}
            )

        refused = assign(nominated_id, KARIM)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["rule"] == "conflict_of_interest"
        for pid, email in (
            (nominated_id, COMMISSION),
            (nominated_id, SECOND_MEMBER),
            (own_id, SECOND_MEMBER),
            (own_id, KARIM),
        ):
            assert assign(pid, email).status_code == 201

    context, traffic = offline_context(browser, server.url, locale="fr-CH")
    page = context.new_page()
    sign_in(page, server, COMMISSION)
    page.goto(f"{server.url}/evaluations")
    page.get_by_role("link", name="Des apprentissages pour réfugiés").first.click()
    page.get_by_label("Pourquoi vous ne pouvez pas évaluer cette demande").fill(
        "J'ai été apprenti chez Rochat."
    )
    page.get_by_role("button", name="Déclarer un conflit d’intérêts").click()
    expect(page.get_by_role("status")).to_contain_text("Votre conflit d’intérêts est enregistré")
    context.close()
    for email, title in (
        (SECOND_MEMBER, "Des apprentissages pour réfugiés"),
        (SECOND_MEMBER, "Teranga Vaud, dix ans"),
        (KARIM, "Teranga Vaud, dix ans"),
    ):
        context, traffic = offline_context(browser, server.url, locale="fr-CH")
        score(context.new_page(), server, email, title)
        context.close()

    # The ranking, then the decisions, on the pages of the secretariat.
    context, traffic = offline_context(browser, server.url, locale="fr-CH")
    page = context.new_page()
    check = lambda name: check_page(page, traffic, name, "javascript")  # noqa: E731
    sign_in(page, server, SECRETARIAT)
    page.goto(f"{server.url}/appels/{call['id']}/classement")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Des apprentissages pour réfugiés")
    check("award-ranking")
    page.goto(f"{server.url}/dossiers/{nominated_id}")
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Décider"))
    expect(decide.get_by_label("Montant accordé")).to_have_count(0)
    decide.get_by_label("Résultat").select_option("awarded")
    decide.get_by_label("Prix (0 pour une mention honorable)").fill("5000")
    decide.get_by_label("Motivation").fill("Premier du classement.")
    decide.get_by_role("button", name="Décider").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("citation")
    check("award-decision-error")
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Décider"))
    decide.get_by_label("Résultat").select_option("awarded")
    decide.get_by_label("Prix (0 pour une mention honorable)").fill("5000")
    decide.get_by_label("Citation (publique, imprimée sur le diplôme)").fill(CITATION)
    decide.get_by_label("Motivation").fill("Premier du classement.")
    decide.get_by_role("button", name="Décider").click()
    expect(page.locator(".caption")).to_contain_text("Primée")
    check("award-decided")
    page.goto(f"{server.url}/dossiers/{own_id}")
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Décider"))
    decide.get_by_label("Résultat").select_option("not_awarded")
    decide.get_by_label("Motivation").fill("Le jury encourage une nouvelle candidature.")
    decide.get_by_role("button", name="Décider").click()
    expect(page.locator(".caption")).to_contain_text("Non primée")

    # The prize through the ledger: the award envelope's commitment confirmed by the
    # authority, the agreement recorded, the one payment made on the project's page.
    with api(server, SECRETARIAT) as secretariat:
        project_id = secretariat.get(f"/api/v1/proposals/{nominated_id}").json()["project_id"]
        funder_id = secretariat.get("/api/v1/funders").json()["items"][0]["id"]
        envelope = secretariat.post(
            f"/api/v1/funders/{funder_id}/envelopes",
            json={"year": call["year"], "amount": "20000.00", "call_id": call["id"]},
        )
        assert envelope.status_code == 201, envelope.text
        commitment = secretariat.post(
            f"/api/v1/projects/{project_id}/commitments",
            json={"envelope_id": envelope.json()["id"], "amount": "5000.00"},
        )
        assert commitment.status_code == 201, commitment.text
    with api(server, AUTHORITY) as authority:
        act(authority, f"commitments/{commitment.json()['id']}", action="confirm")
    page.goto(f"{server.url}/projets/{project_id}")
    page.get_by_role("button", name="Enregistrer la signature de la convention").click()
    expect(page.get_by_role("status")).to_contain_text("C’est fait.")
    page.get_by_label("Référence du versement").fill("PRIX-2027-1")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_role("status")).to_contain_text("Le versement est enregistré.")
    check("award-paid")
    context.close()
    with api(server, SECRETARIAT) as secretariat:
        ledger = secretariat.get(f"/api/v1/projects/{project_id}/ledger").json()
        assert ledger["disbursed"] == "5000.00"
        assert secretariat.get(f"/api/v1/projects/{project_id}/reports").json() in (
            [],
            {"items": []},
        )
        act(secretariat, f"calls/{call['id']}", action="close")

    # Published: the laureate with the certificate; nothing of the nomination not awarded.
    with server.client() as public:
        laureates = public.get("/api/v1/public/awards", params={"round_id": call["id"]})
        assert [(i["laureate"], i["amount"], i["citation"]) for i in laureates.json()["items"]] == [
            ("Menuiserie Rochat SA", "5000.00", CITATION)
        ]
        assert "Teranga" not in laureates.text
    for way in WAYS:
        context, traffic = offline_context(browser, server.url, locale="fr-CH", **WAYS[way])
        page = context.new_page()
        page.goto(f"{server.url}/")
        page.get_by_role("link", name="Distinctions").click()
        expect(page.get_by_role("heading", name=ROUND)).to_be_visible()
        expect(page.get_by_text(CITATION)).to_be_visible()
        expect(page.get_by_text("Teranga Vaud, dix ans")).to_have_count(0)
        check_page(page, traffic, "awards", way)
        page.get_by_role("link", name=ROUND).click()
        expect(page.locator("h1")).to_have_text(ROUND)
        check_page(page, traffic, "award-round", way)
        page.get_by_role("link", name="Diplôme à imprimer").first.click()
        expect(page.locator("h1")).to_have_text("Diplôme de distinction")
        expect(page.get_by_text("Menuiserie Rochat SA")).to_be_visible()
        check_page(page, traffic, "award-certificate", way)
        if way == "javascript":  # printed, the certificate is one page
            pdf = tmp_path / "certificate.pdf"
            page.pdf(path=str(pdf), prefer_css_page_size=True)
            assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == 1
        context.close()
