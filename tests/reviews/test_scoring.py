"""Scoring rules of a review, and who sees which review (sealed review)."""

import pytest
from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


@pytest.fixture
def open_review(world: World):  # type: ignore[no-untyped-def]
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    return world.review(proposal, "commission", {}, submit=False)


def put(client: TestClient, world: World, review_id: int, scores: list, **extra):  # type: ignore[no-untyped-def]
    return client.put(
        f"/api/v1/reviews/{review_id}",
        headers=world.headers("commission"),
        json={"scores": scores, **extra},
    )


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([{"criterion": "relevance", "score": "4.3"}], "half points"),
        ([{"criterion": "relevance", "score": "-1"}], "half points"),
        ([{"criterion": "relevance", "score": "5.5"}], "at most 5"),
        ([{"criterion": "impact", "score": "3"}], "not a criterion of this call"),
        ([{"criterion": "relevance", "not_applicable": True}], "relevance is required"),
        ([{"criterion": "relevance", "score": "3", "not_applicable": True}], "not both"),
        ([{"criterion": "relevance"}], "give a score or not_applicable"),
        (
            [{"criterion": "relevance", "score": "3"}, {"criterion": "relevance", "score": "4"}],
            "scored twice",
        ),
    ],
)
def test_bad_scores_are_refused(
    client: TestClient,
    world: World,
    open_review,
    scores,  # type: ignore[no-untyped-def]
    message: str,
):
    response = put(client, world, open_review.id, scores)
    assert response.status_code == 422
    assert message in str(response.json()), response.json()
    stored = client.get(
        f"/api/v1/reviews/{open_review.id}", headers=world.headers("commission")
    ).json()
    assert stored["scores"] == [] and stored["version"] == open_review.version


def test_submit_needs_every_criterion_and_a_recommendation(
    client: TestClient, world: World, open_review
):  # type: ignore[no-untyped-def]
    url = f"/api/v1/reviews/{open_review.id}/transitions"
    headers = world.headers("commission")
    put(
        client,
        world,
        open_review.id,
        [{"criterion": "relevance", "score": "4"}],
        recommendation=None,
    )
    options = client.get(url, headers=headers).json()
    submit = next(o for o in options if o["action"] == "submit")
    assert not submit["allowed"]
    assert {b["rule"] for b in submit["blocked_by"]} == {"criteria_scored", "recommendation"}
    saved = put(
        client,
        world,
        open_review.id,
        [
            {"criterion": "relevance", "score": "4", "comment": "Très pertinent"},
            {"criterion": "feasibility", "score": "2.5"},
        ],
        recommendation="defer",
        comment="Revoir le calendrier.",
    )
    assert saved.json()["scores"][1] == {
        "criterion": "feasibility",
        "score": "2.5",
        "not_applicable": False,
        "comment": None,
    }
    submitted = client.post(url, headers=headers, json={"action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    locked = put(client, world, open_review.id, [{"criterion": "relevance", "score": "1"}])
    assert locked.status_code == 409


def test_optional_criteria_may_be_not_applicable(client: TestClient, world: World):
    headers = world.headers("secretariat")
    from tests.builders import call_payload, proposal_payload

    payload = call_payload()
    payload["criteria"].append(
        {
            "code": "awareness",
            "label": "Sensibilisation",
            "weight": "1",
            "max_score": "5",
            "optional": True,
        }
    )
    call = client.post("/api/v1/calls", headers=headers, json=payload).json()
    client.post(f"/api/v1/calls/{call['id']}/transitions", headers=headers, json={"action": "open"})
    created = client.post(
        "/api/v1/proposals",
        headers=world.headers("applicant_a"),
        json=proposal_payload(world.call, world.partner_a, call_id=call["id"]),
    ).json()
    for action, who in (("submit", "applicant_a"), ("accept_for_review", "secretariat")):
        client.post(
            f"/api/v1/proposals/{created['id']}/transitions",
            headers=world.headers(who),
            json={"action": action},
        )
    from fundflow.proposals.models import Proposal

    proposal = world.session.get(Proposal, created["id"])
    world.review(proposal, "commission", {"relevance": "4", "feasibility": "4", "awareness": None})
    world.review(proposal, "commission_b", {"relevance": "4", "feasibility": "4", "awareness": "2"})
    ranking = client.get(f"/api/v1/calls/{call['id']}/ranking", headers=headers).json()
    item = ranking["items"][0]
    awareness = next(c for c in item["criteria"] if c["criterion"] == "awareness")
    # awareness: n/a and 2 → mean 2 (not 1); (2×0.8 + 1×0.8 + 1×0.4) / 4 = 70
    assert awareness["mean"] == "2.00" and item["score"] == "70.00"


def test_sealed_review_for_each_role(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    mine = world.review(proposal, "commission", {"relevance": "4", "feasibility": "3"})
    theirs = world.review(
        proposal, "commission_b", {"relevance": "2", "feasibility": "2"}, submit=False
    )
    url = f"/api/v1/proposals/{proposal.id}/reviews"

    def ids(who: str) -> list[int]:
        response = client.get(url, headers=world.headers(who))
        assert response.status_code == 200
        return [r["id"] for r in response.json()["items"]]

    # commission_b has not submitted: sees only their own draft; commission has submitted,
    # but commission_b's review is not submitted yet, so it stays hidden from them too.
    assert ids("commission_b") == [theirs.id]
    assert ids("commission") == [mine.id]
    assert ids("secretariat") == [mine.id, theirs.id]
    assert (
        client.get(f"/api/v1/reviews/{mine.id}", headers=world.headers("commission_b")).status_code
        == 404
    )
    client.put(
        f"/api/v1/reviews/{theirs.id}",
        headers=world.headers("commission_b"),
        json={
            "scores": [
                {"criterion": "relevance", "score": "2"},
                {"criterion": "feasibility", "score": "2"},
            ],
            "recommendation": "reject",
        },
    )
    client.post(
        f"/api/v1/reviews/{theirs.id}/transitions",
        headers=world.headers("commission_b"),
        json={"action": "submit"},
    )
    assert ids("commission_b") == [mine.id, theirs.id]
    assert ids("commission") == [mine.id, theirs.id]
    assert client.get(url, headers=world.headers("applicant_a")).status_code == 403
    for who in ("applicant_b", "authority", "admin"):
        assert client.get(url, headers=world.headers(who)).status_code == 404
    # A member's list holds their own assignments only.
    listed = client.get("/api/v1/reviews", headers=world.headers("commission")).json()["items"]
    assert [r["id"] for r in listed] == [mine.id]
