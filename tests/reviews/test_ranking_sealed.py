"""The ranking shows criterion means, which can be one reviewer's scores: it is sealed like
the reviews (issue 11, defect 4)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.accounts.models import User, UserRole
from fundflow.core.roles import Role
from fundflow.proposals.models import ProposalStatus
from tests.builders import World, bearer

SCORES = {"relevance": "4", "feasibility": "3"}


def ranking(client: TestClient, world: World, headers: dict[str, str], csv: bool = False):  # type: ignore[no-untyped-def]
    url = f"/api/v1/calls/{world.call.id}/ranking" + ("?format=csv" if csv else "")
    return client.get(url, headers=headers)


def test_a_member_with_an_open_review_sees_no_ranking(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    world.review(proposal, "commission_b", SCORES)  # another reviewer's scores are in
    world.review(proposal, "commission", SCORES, submit=False)

    for csv in (False, True):
        sealed = ranking(client, world, world.headers("commission"), csv=csv)
        assert sealed.status_code == 403
        assert "open review" in sealed.json()["detail"]
    assert ranking(client, world, world.headers("secretariat")).status_code == 200


def test_once_the_reviews_are_in_the_member_sees_the_ranking(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    world.review(proposal, "commission_b", SCORES)
    world.review(proposal, "commission", SCORES)

    shown = ranking(client, world, world.headers("commission"))

    assert shown.status_code == 200
    assert [item["proposal_id"] for item in shown.json()["items"]] == [proposal.id]


def test_a_member_never_sees_the_rows_of_their_own_association(
    client: TestClient, world: World, session: Session
):
    own = world.proposal(owner="a", status=ProposalStatus.IN_REVIEW)
    other = world.proposal(owner="b", status=ProposalStatus.IN_REVIEW)
    world.review(own, "commission_b", SCORES)
    member = User(
        email="karim@tafraout.example",
        full_name="Karim",
        password_hash="x",
        organisation_id=world.org_a.id,
        role_rows=[UserRole(role=Role.COMMISSION), UserRole(role=Role.APPLICANT)],
    )
    session.add(member)
    session.commit()

    for csv in (False, True):
        shown = ranking(client, world, bearer(member, session), csv=csv)
        assert shown.status_code == 200
        if csv:
            assert world.org_a.name not in shown.text and own.title not in shown.text
        else:
            assert [i["proposal_id"] for i in shown.json()["items"]] == [other.id]
    everything = ranking(client, world, world.headers("secretariat")).json()["items"]
    assert {i["proposal_id"] for i in everything} == {own.id, other.id}


def test_a_declined_review_hides_that_proposal(client: TestClient, world: World):
    declined = world.proposal(status=ProposalStatus.IN_REVIEW)
    world.review(declined, "commission_b", SCORES)
    review = world.review(declined, "commission", SCORES, submit=False)
    answer = client.post(
        f"/api/v1/reviews/{review.id}/transitions",
        headers=world.headers("commission"),
        json={"action": "declare_conflict", "comment": "Mon cousin préside l'association."},
    )
    assert answer.status_code == 200, answer.text

    shown = ranking(client, world, world.headers("commission"))

    assert shown.status_code == 200
    assert shown.json()["items"] == []


def test_calibration_is_the_secretariat_s_alone(client: TestClient, world: World):
    url = f"/api/v1/calls/{world.call.id}/calibration"
    assert client.get(url, headers=world.headers("commission")).status_code == 403
    assert client.get(url, headers=world.headers("secretariat")).status_code == 200
