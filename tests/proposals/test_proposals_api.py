from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World, proposal_payload


def test_create_returns_derived_figures_and_indicator_ids(client: TestClient, world: World):
    response = client.post(
        "/api/v1/proposals",
        headers=world.headers("applicant_a"),
        json=proposal_payload(world.call, world.partner_a),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation_id"] == world.org_a.id and body["status"] == "draft"
    assert body["version"] == 1 and body["currency"] == "CHF"
    assert (body["total_budget"], body["total_financing"], body["requested_amount"]) == (
        "80000.00",
        "80000.00",
        "40000.00",
    )
    assert (body["requested_share"], body["own_share"]) == ("0.5000", "0.1250")
    outcome = body["logframe"]["outcomes"][0]
    assert outcome["indicators"][0]["id"] > 0
    assert outcome["indicators"][0]["baseline"] == "0"
    assert outcome["outputs"][0]["indicators"][0]["name"] == "Metres of pipe laid"
    assert body["budget_lines"][0] == {
        "id": body["budget_lines"][0]["id"],
        "category": "investment",
        "description": "Pipes and tank",
        "amount": "60000.00",
    }


def test_an_applicant_writes_for_its_own_organisation(client: TestClient, world: World):
    payload = proposal_payload(world.call, world.partner_a, organisation_id=world.org_b.id)
    assert (
        client.post(
            "/api/v1/proposals", headers=world.headers("applicant_a"), json=payload
        ).status_code
        == 403
    )


def test_logframe_edits_keep_indicator_ids(client: TestClient, world: World):
    proposal = world.proposal()
    headers = world.headers("applicant_a")
    before = client.get(f"/api/v1/proposals/{proposal.id}", headers=headers).json()
    kept = before["logframe"]["outcomes"][0]["indicators"][0]
    dropped = before["logframe"]["outcomes"][0]["outputs"][0]["indicators"][0]
    response = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        headers=headers,
        json={
            "logframe": {
                "goal": "Safe water for Ammeln",
                "outcomes": [
                    {
                        "statement": "Households use tap water",
                        "indicators": [
                            {
                                "id": kept["id"],
                                "name": "Households connected",
                                "unit": "households",
                                "baseline": "0",
                                "target": "400",
                            },
                            {"name": "Water-borne illness cases", "unit": "cases", "target": "20"},
                        ],
                    }
                ],
            }
        },
    )
    assert response.status_code == 200, response.text
    indicators = response.json()["logframe"]["outcomes"][0]["indicators"]
    assert indicators[0]["id"] == kept["id"] and indicators[0]["target"] == "400"
    assert indicators[1]["id"] not in (kept["id"], dropped["id"])
    assert response.json()["logframe"]["goal"] == "Safe water for Ammeln"
    foreign = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        headers=headers,
        json={
            "logframe": {
                "outcomes": [{"statement": "x", "indicators": [{"id": 999999, "name": "stolen"}]}]
            }
        },
    )
    assert foreign.status_code == 422


def test_patch_with_stale_version_is_409(client: TestClient, world: World):
    proposal = world.proposal()
    headers = world.headers("applicant_a")
    first = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        headers=headers,
        json={"title": "Eau potable pour Ammeln", "version": 1},
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        headers=headers,
        json={"title": "Another title", "version": 1},
    )
    assert second.status_code == 409
    stored = client.get(f"/api/v1/proposals/{proposal.id}", headers=headers).json()
    assert stored["title"] == "Eau potable pour Ammeln"


def test_transition_with_stale_version_is_409(client: TestClient, world: World):
    proposal = world.proposal()
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "submit", "version": proposal.version - 1 or 99},
    )
    assert response.status_code == 409


def test_screening_actions_need_a_comment(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)
    for action in ("return_for_revision", "declare_ineligible"):
        response = client.post(
            f"/api/v1/proposals/{proposal.id}/transitions",
            headers=world.headers("secretariat"),
            json={"action": action, "comment": "  "},
        )
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"rule": "comment_required", "message": f"`{action}` needs a comment."}
        ]
    ineligible = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "declare_ineligible", "comment": "Projet déjà financé en 2026."},
    )
    assert ineligible.json()["status"] == "ineligible"
    withdraw = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "withdraw"},
    )
    assert withdraw.status_code == 409


def test_transitions_show_what_each_caller_could_do(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)
    url = f"/api/v1/proposals/{proposal.id}/transitions"
    by_secretariat = client.get(url, headers=world.headers("secretariat")).json()
    assert {o["action"]: (o["to"], o["allowed"]) for o in by_secretariat} == {
        "return_for_revision": ("revision_requested", True),
        "declare_ineligible": ("ineligible", True),
        "accept_for_review": ("in_review", True),
    }
    by_owner = client.get(url, headers=world.headers("applicant_a")).json()
    assert [o["action"] for o in by_owner] == ["withdraw"]


def test_withdrawn_from_review_by_the_association(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "withdraw", "comment": "Partner dissolved."},
    )
    assert response.json()["status"] == "withdrawn"
    assert (
        client.get(f"/api/v1/proposals/{proposal.id}", headers=world.headers("secretariat")).json()[
            "status"
        ]
        == "withdrawn"
    )


def test_drafts_on_a_draft_call_are_refused(client: TestClient, world: World):
    from tests.builders import call_payload

    draft_call = client.post(
        "/api/v1/calls", json=call_payload(), headers=world.headers("secretariat")
    ).json()
    response = client.post(
        "/api/v1/proposals",
        headers=world.headers("applicant_a"),
        json=proposal_payload(world.call, world.partner_a, call_id=draft_call["id"]),
    )
    assert response.status_code == 404  # a draft call is invisible to applicants


def test_actions_refuse_fields_they_do_not_take(client: TestClient, world: World):
    proposal = world.proposal()
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "submit", "granted_amount": "1000000.00"},
    )
    assert response.status_code == 422
    # The body is parsed as the `submit` request, which has no such field.
    assert response.json()["errors"] == [
        {"loc": ["body", "granted_amount"], "message": "Extra inputs are not permitted"}
    ]
    unknown = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "approve"},
    )
    assert unknown.status_code == 422


def test_an_unknown_partner_is_422_and_writes_nothing(client: TestClient, world: World):
    headers = world.headers("applicant_a")
    payload = proposal_payload(world.call, world.partner_a) | {"partner_id": 999_999}

    created = client.post("/api/v1/proposals", headers=headers, json=payload)

    assert created.status_code == 422
    assert created.json()["errors"][0]["loc"] == ["body", "partner_id"]
    assert client.get("/api/v1/proposals", headers=headers).json()["items"] == []


def test_a_draft_may_request_more_than_its_budget_for_a_while(client: TestClient, world: World):
    """Entering the financing plan before the budget is how many drafts start: the share
    shows above 1 (the eligibility check says what is wrong), never an error."""
    proposal = world.proposal()
    response = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        json={"budget_lines": [{"category": "staff", "description": "Coord", "amount": "5000"}]},
        headers=world.headers("applicant_a"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["requested_share"] == "8.0000"
    listed = client.get("/api/v1/proposals", headers=world.headers("applicant_a")).json()
    assert [item["requested_share"] for item in listed["items"]] == ["8.0000"]
