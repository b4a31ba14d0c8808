"""From submitted proposals to decisions, sessions and created projects, over HTTP."""

from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


def post(client: TestClient, url: str, headers: dict, **body):  # type: ignore[no-untyped-def]
    response = client.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_review_rank_decide_and_create_projects(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    a = world.proposal(owner="a", status=ProposalStatus.SUBMITTED)
    b = world.proposal(owner="b", status=ProposalStatus.SUBMITTED)
    for proposal in (a, b):
        post(
            client,
            f"/api/v1/proposals/{proposal.id}/transitions",
            secretariat,
            action="accept_for_review",
        )

    # A third member belongs to association A: the conflict must keep them off A.
    conflicted = post(
        client,
        "/api/v1/users",
        world.headers("admin"),
        email="karim@tafraout.example",
        password="a-long-password",
        roles=["commission", "applicant"],
        organisation_id=world.org_a.id,
    )
    client.put(
        f"/api/v1/commission-members/{world.commission.id}",
        headers=secretariat,
        json={"sectors": ["water"], "countries": ["MA"], "languages": ["fr", "ar"]},
    )
    result = post(
        client,
        f"/api/v1/calls/{world.call.id}/review-assignments",
        secretariat,
        reviewers_per_proposal=2,
    )
    assert result["unfilled"] == []
    by_proposal: dict[int, set[int]] = {}
    for review in result["assigned"]:
        by_proposal.setdefault(review["proposal_id"], set()).add(review["reviewer_id"])
    assert conflicted["id"] not in by_proposal[a.id]
    assert world.commission.id in by_proposal[a.id]  # expertise in water and Morocco
    assert all(len(reviewers) == 2 for reviewers in by_proposal.values())

    sheets = {  # reviewer → (relevance, feasibility) for A and B
        world.commission.id: {a.id: ("4", "3"), b.id: ("3", "3")},
        world.commission_b.id: {a.id: ("4.5", "2"), b.id: ("2", "2.5")},
        conflicted["id"]: {b.id: ("2.5", "4")},
    }
    tokens = {
        world.commission.id: world.headers("commission"),
        world.commission_b.id: world.headers("commission_b"),
    }
    tokens[conflicted["id"]] = {
        "Authorization": "Bearer "
        + client.post(
            "/api/v1/auth/token",
            data={"username": "karim@tafraout.example", "password": "a-long-password"},
        ).json()["access_token"]
    }
    for review in result["assigned"]:
        headers = tokens[review["reviewer_id"]]
        relevance, feasibility = sheets[review["reviewer_id"]][review["proposal_id"]]
        saved = client.put(
            f"/api/v1/reviews/{review['id']}",
            headers=headers,
            json={
                "scores": [
                    {"criterion": "relevance", "score": relevance, "comment": "Clair."},
                    {"criterion": "feasibility", "score": feasibility},
                ],
                "recommendation": "approve",
            },
        )
        assert saved.status_code == 200, saved.text
        # Sealed: before submitting, a reviewer sees no one else's review.
        seen = client.get(
            f"/api/v1/proposals/{review['proposal_id']}/reviews", headers=headers
        ).json()["items"]
        assert [r["id"] for r in seen] == [review["id"]]
        post(client, f"/api/v1/reviews/{review['id']}/transitions", headers, action="submit")
    after = client.get(
        f"/api/v1/proposals/{a.id}/reviews", headers=world.headers("commission")
    ).json()["items"]
    assert len(after) == 2

    ranking = client.get(f"/api/v1/calls/{world.call.id}/ranking", headers=secretariat).json()
    # A: relevance 4.25, feasibility 2.5 → 73.33; B's reviewers depend on assignment, but
    # A must rank first and pass.
    first = ranking["items"][0]
    assert first["proposal_id"] == a.id and first["score"] == "73.33" and first["rank"] == 1
    assert first["passes_thresholds"] and first["funding_status"] == "fundable"
    assert ranking["budget"]["envelopes_total"] == "500000.00"

    meeting = post(
        client,
        "/api/v1/sessions",
        secretariat,
        held_on="2027-04-15",
        title="Commission technique – avril 2027",
        call_id=world.call.id,
        members_present=[world.commission.id, world.commission_b.id],
    )
    decided = post(
        client,
        f"/api/v1/proposals/{a.id}/transitions",
        secretariat,
        action="decide",
        outcome="approved",
        granted_amount="38000.00",
        rationale="Projet pertinent, budget réaliste.",
        session_id=meeting["id"],
    )
    assert decided["status"] == "approved" and decided["project_id"] is not None
    project = client.get(f"/api/v1/projects/{decided['project_id']}", headers=secretariat).json()
    assert project["status"] == "contracting" and project["granted_amount"] == "38000.00"
    assert project["proposal_id"] == a.id and project["organisation_id"] == world.org_a.id

    conditional = post(
        client,
        f"/api/v1/proposals/{b.id}/transitions",
        secretariat,
        action="decide",
        outcome="approved_with_conditions",
        granted_amount="30000.00",
        session_id=meeting["id"],
        conditions=["Lettre d'engagement du partenaire signée"],
        rationale="Bon projet sous réserve de l'engagement du partenaire.",
    )
    assert conditional["status"] == "approved_with_conditions"
    assert conditional["project_id"] is None
    blocked = client.post(
        f"/api/v1/proposals/{b.id}/transitions",
        headers=secretariat,
        json={"action": "fulfil_conditions"},
    )
    assert blocked.status_code == 422
    assert blocked.json()["errors"][0]["rule"] == "conditions_fulfilled"
    decision_b = client.get(f"/api/v1/proposals/{b.id}/decision", headers=secretariat).json()
    condition_id = decision_b["conditions"][0]["id"]
    ticked = client.patch(
        f"/api/v1/proposals/{b.id}/decision/conditions/{condition_id}",
        headers=secretariat,
        json={"fulfilled": True, "note": "Reçue le 2 mai"},
    )
    assert ticked.json()["fulfilled"] is True
    approved_b = post(
        client, f"/api/v1/proposals/{b.id}/transitions", secretariat, action="fulfil_conditions"
    )
    assert approved_b["status"] == "approved" and approved_b["project_id"] is not None

    # The association sees the outcome, never the reviews nor the scores.
    applicant = world.headers("applicant_a")
    own = client.get(f"/api/v1/proposals/{a.id}/decision", headers=applicant).json()
    assert own["outcome"] == "approved" and own["granted_amount"] == "38000.00"
    assert own["rationale"] == "Projet pertinent, budget réaliste."
    assert own["score"] is None and own["rules"] is None and own["criteria"] is None
    assert client.get(f"/api/v1/proposals/{a.id}/reviews", headers=applicant).status_code == 403
    assert [p["id"] for p in client.get("/api/v1/projects", headers=applicant).json()["items"]] == [
        decided["project_id"]
    ]

    minutes = client.get(f"/api/v1/sessions/{meeting['id']}/minutes", headers=secretariat).json()
    assert [(d["proposal_id"], d["outcome"]) for d in minutes["decisions"]] == [
        (a.id, "approved"),
        (b.id, "approved_with_conditions"),
    ]
    assert minutes["decisions"][0]["score"] == "73.33"
    assert {m["user_id"] for m in minutes["session"]["members_present"]} == {
        world.commission.id,
        world.commission_b.id,
    }
    csv_minutes = client.get(
        f"/api/v1/sessions/{meeting['id']}/minutes?format=csv", headers=secretariat
    )
    assert csv_minutes.headers["content-type"].startswith("text/csv")
    lines = csv_minutes.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("proposal_id,title,organisation")
    assert "Lettre d'engagement du partenaire signée" in lines[2]
