"""Who may open the secretariat's, the commission's and the funders' pages: every role,
allowed and denied, and nobody signed in; another association's project is not found."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from fundflow.core.audit import Event
from fundflow.proposals.models import ProposalStatus
from tests.builders import World
from tests.web.pages import send_form, sign_in
from tests.web.test_page_access import EMAILS

ROLES = ["admin", "secretariat", "commission", "applicant_a", "applicant_b", "authority"]
SECRETARIAT_ONLY = {"secretariat": 200}

# Path (with the world's ids filled in) → the roles answered 200; the others get 403,
# except where a status is given.
PAGES = {
    "/dossiers": SECRETARIAT_ONLY,
    "/depot": SECRETARIAT_ONLY,
    "/dossiers/{proposal}": SECRETARIAT_ONLY,
    "/appels/{call}/attributions": SECRETARIAT_ONLY,
    "/appels/{call}/classement": {"secretariat": 200, "commission": 200},
    "/appels/{call}/classement.csv": {"secretariat": 200, "commission": 200},
    "/appels/{call}/cofinancement": SECRETARIAT_ONLY,
    "/seances": SECRETARIAT_ONLY,
    "/seances/{meeting}": SECRETARIAT_ONLY,
    "/seances/{meeting}/proces-verbal": {"secretariat": 200, "commission": 200},
    "/seances/{meeting}/proces-verbal.csv": {"secretariat": 200, "commission": 200},
    "/suivi": SECRETARIAT_ONLY,
    "/engagements": {"secretariat": 200, "authority": 200},
    "/tableau-de-bord": {"secretariat": 200, "authority": 200},
    "/tableau-de-bord/projets": {"secretariat": 200, "authority": 200},
    "/tableau-de-bord/chiffres.csv": {"secretariat": 200, "authority": 200},
    # Projects are read by whoever sees them; the others are told it does not exist.
    "/projets/{project}": {
        "secretariat": 200,
        "applicant_a": 200,
        "authority": 200,
        "admin": 404,
        "commission": 404,
        "applicant_b": 404,
    },
}


@pytest.fixture
def ids(world: World) -> dict[str, int | None]:
    project = world.signed()
    return {
        "project": project.id,
        "proposal": world.proposal(status=ProposalStatus.SUBMITTED).id,
        "call": world.call.id,
        "meeting": world.meeting().id,
    }


@pytest.mark.parametrize("who", ROLES)
def test_each_role_opens_its_pages_and_no_other(
    browser_client: TestClient, world: World, ids: dict[str, int | None], who: str
):
    sign_in(browser_client, EMAILS[who])
    answered = {path: browser_client.get(path.format(**ids)).status_code for path in PAGES}
    expected = {path: allowed.get(who, 403) for path, allowed in PAGES.items()}
    assert answered == expected


def test_nobody_signed_in_is_sent_to_sign_in(
    browser_client: TestClient, world: World, ids: dict[str, int | None]
):
    for path in PAGES:
        answer = browser_client.get(path.format(**ids))
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/connexion?next=")


FORMS = [
    "/appels/{call}/attributions",
    "/appels/{call}/attributions/main",
    "/appels/{call}/cofinancement",
    "/seances",
    "/seances/{meeting}/decisions",
    "/dossiers/{proposal}/actions",
    "/dossiers/{proposal}/similaires/{project}",
    "/projets/{project}/paiements",
]


@pytest.mark.parametrize("who", ["admin", "commission", "applicant_a", "authority"])
def test_only_the_secretariat_sends_its_forms(
    browser_client: TestClient,
    world: World,
    session: Session,
    ids: dict[str, int | None],
    who: str,
):
    events = session.exec(select(func.count()).select_from(Event)).one()
    sign_in(browser_client, EMAILS[who])
    for path in FORMS:
        answer = send_form(browser_client, "/", path.format(**ids), {"action": "accept_for_review"})
        # A project its reader may not see is not found, whatever is sent to it.
        hidden = path.startswith("/projets/") and who in ("admin", "commission")
        assert answer.status_code == (404 if hidden else 403), (path, answer.status_code)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Event)).one() == events
