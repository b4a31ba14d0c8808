"""The authorities' dashboard: money by year, call, priority, country and association as
charts with their tables, scoped to the viewer's funder; the projects behind a figure;
downloads as CSV, XLSX and IATI; nobody else's page."""

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from tests.builders import World
from tests.web.pages import sign_in

SECRETARIAT = "secretariat@fedevaco.example"
AUTHORITY = "beat@ddc.example"


def test_an_authority_sees_its_funders_projects_only(
    browser_client: TestClient, world: World, session: Session
):
    ours = world.signed()
    commune = world.envelope_of("Commune de Nyon")
    theirs = world.signed(
        content={"owner": "b", "title": "Moulin de Podor"}, shares=((commune, "35000.00"),)
    )
    sign_in(browser_client, AUTHORITY)
    page = browser_client.get("/tableau-de-bord")
    assert page.status_code == 200
    assert "Association Tafraout Solidarité" in page.text
    assert "<svg" in page.text and "<script" not in page.text.split("<main", 1)[1]
    assert 'aria-hidden="true"' in page.text and "Par pays" in page.text
    # Only the projects its funder co-finances are counted.
    assert "Maroc" in page.text and "Sénégal" not in page.text
    behind = browser_client.get("/tableau-de-bord/projets?pays=MA").text
    assert ours.title in behind and f'href="/projets/{ours.id}"' in behind
    project = browser_client.get(f"/projets/{ours.id}").text
    assert "Partenaire local" in project and "Le budget, par catégorie" in project
    assert "Tranches" in project and "Indicateurs" in project
    assert browser_client.get(f"/projets/{theirs.id}").status_code == 404
    assert theirs.title not in browser_client.get("/tableau-de-bord/projets").text
    exported = browser_client.get("/tableau-de-bord/chiffres.csv?par=country")
    assert exported.status_code == 200 and "SN" not in exported.text and "MA" in exported.text
    sheet = browser_client.get("/tableau-de-bord/chiffres.xlsx?par=call")
    assert sheet.status_code == 200
    workbook = load_workbook(io.BytesIO(sheet.content))
    assert workbook.active is not None and workbook.active.max_row >= 2
    iati = browser_client.get("/tableau-de-bord/iati.xml")
    assert iati.status_code == 200 and "Moulin de Podor" not in iati.text
    assert ours.title in iati.text
    assert browser_client.get("/tableau-de-bord/chiffres.pdf").status_code == 404


def test_the_secretariat_sees_every_project(
    browser_client: TestClient, world: World, session: Session
):
    world.signed()
    commune = world.envelope_of("Commune de Nyon")
    world.signed(
        content={"owner": "b", "title": "Moulin de Podor"}, shares=((commune, "35000.00"),)
    )
    sign_in(browser_client, SECRETARIAT)
    page = browser_client.get("/tableau-de-bord").text
    assert "Maroc" in page and "Sénégal" in page
    assert "Moulin de Podor" in browser_client.get("/tableau-de-bord/projets?pays=SN").text


def test_the_dashboard_is_not_for_associations_nor_the_commission(
    browser_client: TestClient, world: World, session: Session
):
    for email in ("youssef@tafraout.example", "expert@fedevaco.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        for path in ("/tableau-de-bord", "/tableau-de-bord/projets", "/tableau-de-bord/iati.xml"):
            assert browser_client.get(path).status_code == 403, (email, path)
    browser_client.cookies.clear()
    assert browser_client.get("/tableau-de-bord").status_code == 303
