"""Exchange rates on a page, without JavaScript: the secretariat records a rate, imports
a file, deletes a rate; everyone signed in reads them; and the pages of a project in
euros co-financed in francs show each amount in its currency, with the rate."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.funders.models import ExchangeRate
from tests.builders import World, exchange_rate
from tests.web.pages import csrf_token, send_form, sign_in

PAGE = "/taux-de-change"
FR = {"Accept-Language": "fr"}


def test_the_secretariat_records_a_rate_from_the_page(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, world.secretariat.email)
    fields = {
        "valid_from": "2026-11-01",
        "base": "eur",
        "quote": "chf",
        "rate": "0.9351",
        "source": "AFC, novembre 2026",
    }
    recorded = send_form(browser_client, PAGE, PAGE, fields)
    assert recorded.status_code == 303 and recorded.headers["location"] == f"{PAGE}?ajoute=1"
    page = browser_client.get(recorded.headers["location"], headers=FR).text
    assert "Le taux est enregistré." in page
    assert "1 EUR = 0,9351 CHF" in page and "AFC, novembre 2026" in page
    again = send_form(browser_client, PAGE, PAGE, {**fields, "rate": "0.99"})
    assert again.status_code == 400 and 'href="#valid_from"' in again.text
    assert len(session.exec(select(ExchangeRate)).all()) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rate": "0,9351"}, "rate"),
        ({"rate": ""}, "rate"),
        ({"base": "EURO"}, "base"),
        ({"quote": "EUR"}, "quote"),
        ({"valid_from": ""}, "valid_from"),
    ],
)
def test_a_wrong_rate_is_shown_on_the_form_and_nothing_is_recorded(
    browser_client: TestClient, world: World, session: Session, fields: dict, field: str
):
    sign_in(browser_client, world.secretariat.email)
    typed = {"valid_from": "2026-11-01", "base": "EUR", "quote": "CHF", "rate": "0.9351"}
    answer = send_form(browser_client, PAGE, PAGE, {**typed, "source": "AFC", **fields})
    assert answer.status_code == 400
    assert "Il y a un problème" in answer.text or "There is a problem" in answer.text
    assert f'href="#{field}"' in answer.text
    assert session.exec(select(ExchangeRate)).all() == []


def test_a_file_of_rates_is_imported_from_the_page(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, world.secretariat.email)
    page = browser_client.get(PAGE)
    text = "valid_from;base;quote;rate;source\n2026-11-01;EUR;CHF;0.9351;AFC\n"
    imported = browser_client.post(
        f"{PAGE}/import",
        data={"csrftoken": csrf_token(page.text)},
        files={"file": ("taux.csv", text.encode(), "text/csv")},
    )
    assert imported.status_code == 303, imported.text
    shown = browser_client.get(imported.headers["location"], headers=FR).text
    assert "1 taux ajoutés, 0 déjà enregistrés" in shown
    wrong = browser_client.post(
        f"{PAGE}/import",
        data={"csrftoken": csrf_token(page.text)},
        files={"file": ("taux.csv", b"valid_from;base\n2026-11-01;EUR\n", "text/csv")},
        headers=FR,
    )
    assert wrong.status_code == 400 and "La première ligne doit nommer les colonnes" in wrong.text
    forged = browser_client.post(
        f"{PAGE}/import", files={"file": ("taux.csv", text.encode(), "text/csv")}
    )
    assert forged.status_code == 403
    assert len(session.exec(select(ExchangeRate)).all()) == 1


def test_a_rate_is_deleted_from_the_page(
    browser_client: TestClient, world: World, session: Session
):
    rate = exchange_rate(session, "EUR", "CHF", "0.93")
    sign_in(browser_client, world.secretariat.email)
    deleted = send_form(browser_client, PAGE, f"{PAGE}/{rate.id}/suppression", {})
    assert deleted.status_code == 303
    session.expire_all()
    assert session.exec(select(ExchangeRate)).all() == []


@pytest.mark.parametrize("who", ["applicant_a", "commission", "authority", "admin"])
def test_others_read_the_rates_but_change_nothing(
    browser_client: TestClient, world: World, session: Session, who: str
):
    exchange_rate(session, "EUR", "CHF", "0.93")
    sign_in(browser_client, getattr(world, who).email)
    page = browser_client.get(PAGE, headers=FR)
    assert page.status_code == 200 and "1 EUR = 0,93 CHF" in page.text
    assert "Enregistrer un taux" not in page.text
    refused = browser_client.post(
        PAGE,
        data={
            "csrftoken": csrf_token(page.text),
            "valid_from": "2026-11-02",
            "base": "USD",
            "quote": "CHF",
            "rate": "0.8",
            "source": "x",
        },
    )
    assert refused.status_code == 403
    assert len(session.exec(select(ExchangeRate)).all()) == 1


def test_nobody_signed_in_is_sent_to_sign_in(browser_client: TestClient):
    answer = browser_client.get(PAGE)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion")


def test_a_euro_project_shows_the_francs_committed_and_the_rate(
    browser_client: TestClient, world: World, session: Session
):
    world.call.currency = "EUR"
    session.add(world.call)
    exchange_rate(session, "EUR", "CHF", "0.9351")
    project = world.project(granted="35000.00")
    world.commit(project, world.envelope, "35000.00", confirm=False)
    sign_in(browser_client, world.secretariat.email)
    page = browser_client.get(f"/projets/{project.id}", headers=FR).text.replace("\u00a0", " ")
    assert "35&#39;000,00 €" in page  # the grant, in the call's currency
    assert "32&#39;728,50 CHF au taux de 1 EUR = 0,9351 CHF" in page
    browser_client.cookies.clear()
    sign_in(browser_client, world.authority.email)
    theirs = browser_client.get("/engagements", headers=FR).text.replace("\u00a0", " ")
    # The funder's staff see their own currency first.
    assert "32&#39;728,50 CHF<br>" in theirs
    assert "35&#39;000,00 € pour le projet" in theirs


def test_the_dashboard_gives_francs_and_says_the_rates_or_which_is_missing(
    browser_client: TestClient, world: World, session: Session
):
    world.call.currency = "EUR"
    session.add(world.call)
    session.commit()
    world.project(granted="35000.00")
    sign_in(browser_client, world.secretariat.email)
    missing = browser_client.get("/tableau-de-bord", headers=FR)
    assert missing.status_code == 200
    assert "la monnaie d’un appel n’a pas de taux de change" in missing.text
    assert "Aucun taux EUR→CHF" in missing.text and 'href="/taux-de-change"' in missing.text
    exchange_rate(session, "EUR", "CHF", "0.9351")
    page = browser_client.get("/tableau-de-bord", headers=FR).text.replace("\u00a0", " ")
    assert "32&#39;728,50 CHF" in page  # EUR 35,000 granted, in francs
    assert "1 EUR = 0,9351 CHF" in page


def test_the_pages_that_list_amounts_give_each_its_calls_currency(
    browser_client: TestClient, world: World, session: Session
):
    """A project of a EUR call: the API says its currency; the worklist, the follow-up of
    tranches and the association's home show euros, not francs."""
    world.call.currency = "EUR"
    session.add(world.call)
    session.commit()
    exchange_rate(session, "EUR", "CHF", "0.9351")
    project = world.signed(granted="35000.00")
    assert (
        browser_client.get(
            f"/api/v1/projects/{project.id}", headers=world.headers("secretariat")
        ).json()["currency"]
        == "EUR"
    )
    sign_in(browser_client, world.secretariat.email)
    for page in ("/dossiers", "/suivi"):
        text = browser_client.get(page, headers=FR).text.replace("\u00a0", " ")
        assert " €" in text and " CHF" not in text, page
    browser_client.cookies.clear()
    sign_in(browser_client, world.applicant_a.email)
    home = browser_client.get("/", headers=FR).text.replace("\u00a0", " ")
    assert "Accordé : 35&#39;000,00 €" in home or "35&#39;000,00 €" in home
