"""The directory on the pages: an association keeps its entry (opting in, choosing what is
shown), everyone reads the listed ones with their map, and what is not public never
appears."""

from fastapi.testclient import TestClient
from lxml import etree
from markupsafe import escape
from sqlmodel import Session

from fundflow.organisations.models import DirectoryEntry
from tests.builders import World, make_partner
from tests.proposals.similarity.corpus import WATER, WATER_RETITLED
from tests.web.pages import send_form, sign_in

MEMBER = "youssef@tafraout.example"


def _save(client: TestClient, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    return send_form(client, "/mon-association/annuaire", "/mon-association/annuaire", fields)


def test_an_association_opts_in_and_chooses_what_is_shown(
    browser_client: TestClient, world: World, session: Session
):
    world.signed()
    assert "Aucune association ne correspond." in browser_client.get("/annuaire").text
    sign_in(browser_client, MEMBER)
    saved = _save(
        browser_client,
        {
            "listed": "1",
            "presentation": "Puits et écoles dans l'Anti-Atlas.",
            "themes": "water",
            "show_origins": "1",
            "initiatives-0-title": "Cours d'arabe à Lausanne",
            "initiatives-0-country": "CH",
        },
    )
    assert saved.status_code == 303, saved.text
    entry = session.get(DirectoryEntry, world.org_a.id)
    assert entry is not None and entry.listed and not entry.show_city
    browser_client.cookies.clear()
    listing = browser_client.get("/annuaire").text
    assert "Association Tafraout Solidarité" in listing and "Maroc" in listing
    page = browser_client.get(f"/annuaire/{world.org_a.id}").text
    assert "Puits et écoles dans l&#39;Anti-Atlas." in page
    assert "Cours d&#39;arabe à Lausanne" in page
    # Not chosen, not shown; nothing personal ever.
    assert "Siège" not in page and "Son site web" not in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Youssef" not in page
    the_map = browser_client.get("/annuaire/carte.svg")
    assert the_map.status_code == 200 and the_map.headers["content-type"].startswith("image/svg")
    root = etree.fromstring(the_map.content)
    links = root.findall(".//{http://www.w3.org/2000/svg}a")
    hrefs = {a.get("{http://www.w3.org/1999/xlink}href") for a in links}
    assert {"/annuaire?pays=MA", "/annuaire?pays=CH"} <= hrefs
    assert b"<script" not in the_map.content and len(the_map.content) < 120_000
    # Our own pages may embed the map (its links work there); no other site may, and no
    # other page of ours is ever framed.
    assert "frame-ancestors 'self'" in the_map.headers["content-security-policy"]
    directory_page = browser_client.get("/annuaire")
    assert "frame-ancestors 'none'" in directory_page.headers["content-security-policy"]
    by_country = browser_client.get("/annuaire?pays=CH").text
    assert "Association Tafraout Solidarité" in by_country
    assert "Aucune association ne correspond." in browser_client.get("/annuaire?pays=SN").text


def test_a_mistake_on_the_entry_changes_nothing(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, MEMBER)
    refused = _save(
        browser_client, {"listed": "1", "initiatives-0-title": "Sans pays", "themes": "water"}
    )
    assert refused.status_code == 400 and 'href="#initiatives-0-country"' in refused.text
    assert session.get(DirectoryEntry, world.org_a.id) is None


def test_only_an_associations_members_keep_its_entry(
    browser_client: TestClient, world: World, session: Session
):
    for email in ("secretariat@fedevaco.example", "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/mon-association/annuaire").status_code == 403
    browser_client.cookies.clear()
    assert browser_client.get("/mon-association/annuaire").status_code == 303
    assert browser_client.get(f"/annuaire/{world.org_a.id}").status_code == 404


def test_the_secretariat_sees_similar_initiatives_of_unlisted_associations(
    browser_client: TestClient, world: World, session: Session
):
    world.signed(content=WATER)
    partner = make_partner(
        session, world.org_b, country="MA", name="Partner of Association Tafraout Solidarite"
    )
    theirs = world.signed(
        content=WATER_RETITLED | {"owner": "b", "country": "MA", "partner_id": partner.id}
    )
    # Neither association is in the public directory.
    sign_in(browser_client, "secretariat@fedevaco.example")
    page = browser_client.get(f"/associations/{world.org_a.id}").text
    assert "Initiatives semblables" in page and str(escape(theirs.title)) in page
    browser_client.cookies.clear()
    assert browser_client.get(f"/annuaire/{world.org_a.id}").status_code == 404
