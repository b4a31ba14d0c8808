"""The public register on the pages, for everyone: funded projects only, filtered; a
project's page with who co-finances it (an unnamed funder said by its level) and its
results; open data from the same page (CSV, IATI, Atom); nothing personal."""

import csv
import io
from decimal import Decimal

from fastapi.testclient import TestClient
from lxml import etree
from sqlmodel import Session

from fundflow.proposals.models import ProposalStatus
from tests.builders import World

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_register_lists_funded_projects_only_with_filters(
    browser_client: TestClient, world: World, session: Session
):
    funded = world.signed()
    world.proposal(status=ProposalStatus.SUBMITTED, title="Demande pas encore décidée")
    world.decided("rejected", content={"title": "Demande refusée"}, rationale="Hors critères.")
    page = browser_client.get("/projets-finances")
    assert page.status_code == 200
    assert funded.title in page.text
    assert "pas encore décidée" not in page.text and "Demande refusée" not in page.text
    assert "youssef@tafraout.example" not in page.text
    by_country = browser_client.get("/projets-finances?pays=SN").text
    assert "Aucun projet financé ne correspond." in by_country
    by_funder = browser_client.get(f"/projets-finances?bailleur={world.funder.id}").text
    assert funded.title in by_funder
    by_year = browser_client.get(f"/projets-finances?annee={world.call.year}").text
    assert funded.title in by_year
    # Values that cannot be filters are ignored.
    assert browser_client.get("/projets-finances?annee=x&pays=123&suite=zz").status_code == 200


def test_a_project_page_names_only_the_funders_that_agree(
    browser_client: TestClient, world: World, session: Session
):
    unnamed = world.envelope_of("Commune de Discrète", named_publicly=False)
    project = world.signed(shares=((world.envelope, "20000.00"), (unnamed, "15000.00")))
    page = browser_client.get(f"/projets-finances/{project.id}")
    assert page.status_code == 200
    assert "Direction du développement et de la coopération" in page.text
    assert "Une commune : 15&#39;000,00" in page.text and "Discrète" not in page.text
    assert "Aucun résultat rapporté pour l’instant." in page.text
    hidden = browser_client.get(f"/projets-finances?bailleur={unnamed.funder_id}").text
    assert "Aucun projet financé ne correspond." in hidden and "Discrète" not in hidden
    assert browser_client.get("/projets-finances/999999").status_code == 404
    iati = browser_client.get("/projets-finances/iati.xml")
    assert iati.status_code == 200 and "Discrète" not in iati.text
    assert "Direction du développement" in iati.text


def test_open_data_from_the_register(browser_client: TestClient, world: World, session: Session):
    project = world.signed()
    exported = browser_client.get(f"/projets-finances.csv?annee={world.call.year}")
    assert exported.status_code == 200 and "text/csv" in exported.headers["content-type"]
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [(r["project_id"], r["title"]) for r in rows] == [(str(project.id), project.title)]
    assert Decimal(rows[0]["granted_amount"]) == project.granted_amount
    assert rows[0]["priorities"] == "water" and rows[0]["country"] == "MA"
    feed = browser_client.get("/projets-finances.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [project.title]
    assert entries[0].findtext(f"{ATOM}id").endswith(f"/projets-finances/{project.id}")
