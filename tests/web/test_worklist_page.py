"""The secretariat's list of proposals (/dossiers): every proposal it sees, newest first,
filtered by call, state and words; 50 a page; the same few SQL statements whatever the
number of proposals; drafts never shown unless shared for advice; nobody else's page."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.proposals.models import ProposalStatus
from tests.builders import World
from tests.proposals.test_listing import counting_queries
from tests.web.pages import sign_in

SECRETARIAT = "secretariat@fedevaco.example"
MAX_STATEMENTS = 5


def _statements(client: TestClient, session: Session, url: str) -> int:
    with counting_queries(session) as statements:
        page = client.get(url)
    assert page.status_code == 200, page.text
    return len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])


def test_the_list_filters_by_call_state_and_words(
    browser_client: TestClient, world: World, session: Session
):
    well = world.proposal(status=ProposalStatus.SUBMITTED, title="Puits de Tafraout")
    mill = world.proposal(owner="b", status=ProposalStatus.IN_REVIEW, title="Moulin de Podor")
    draft = world.proposal(title="Brouillon privé")
    sign_in(browser_client, SECRETARIAT)
    everything = browser_client.get("/dossiers").text
    assert well.title in everything and mill.title in everything
    assert draft.title not in everything
    assert "Tous les états (2)" in everything and "En évaluation (1)" in everything
    in_review = browser_client.get("/dossiers?etat=in_review").text
    assert mill.title in in_review and well.title not in in_review
    by_name = browser_client.get("/dossiers?q=teranga").text
    assert mill.title in by_name and well.title not in by_name
    by_number = browser_client.get(f"/dossiers?q={well.id}").text
    assert well.title in by_number and mill.title not in by_number
    other_call = browser_client.get(f"/dossiers?appel={world.integration_call.id}").text
    assert "Aucune demande ne correspond." in other_call
    # Wildcards typed are words, not patterns.
    assert "Aucune demande ne correspond." in browser_client.get("/dossiers?q=%25").text
    # Unknown filters are ignored rather than failing.
    assert browser_client.get("/dossiers?etat=nope&appel=x&apres=y").status_code == 200


def test_the_list_pages_by_50_newest_first(
    browser_client: TestClient, world: World, session: Session
):
    made = [
        world.proposal(status=ProposalStatus.SUBMITTED, title=f"Demande {i:02d}") for i in range(52)
    ]
    sign_in(browser_client, SECRETARIAT)
    first = browser_client.get("/dossiers").text
    assert "Demande 51" in first and "Demande 02" in first and "Demande 01" not in first
    assert first.index("Demande 51") < first.index("Demande 50")
    assert f"apres={made[2].id}" in first
    second = browser_client.get(f"/dossiers?apres={made[2].id}").text
    assert "Demande 01" in second and "Demande 00" in second and "Demande 02" not in second
    assert 'rel="next"' not in second


def test_the_list_costs_the_same_few_statements_for_5_or_60_proposals(
    browser_client: TestClient, world: World, session: Session
):
    for i in range(5):
        world.proposal(status=ProposalStatus.SUBMITTED, title=f"Demande {i}")
    sign_in(browser_client, SECRETARIAT)
    browser_client.get("/dossiers")  # the session's last activity noted once
    few = _statements(browser_client, session, "/dossiers")
    for i in range(55):
        world.proposal(status=ProposalStatus.SUBMITTED, title=f"Autre {i}")
    many = _statements(browser_client, session, "/dossiers?etat=submitted")
    assert few == many <= MAX_STATEMENTS, (few, many)


def test_the_list_is_the_secretariats(browser_client: TestClient, world: World):
    world.proposal(status=ProposalStatus.SUBMITTED, title="Puits de Tafraout")
    for email in ("youssef@tafraout.example", "expert@fedevaco.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/dossiers").status_code == 403
    browser_client.cookies.clear()
    assert browser_client.get("/dossiers").status_code == 303
