"""`GET …/transitions` tells what each action needs: a comment or not, and the JSON
Schema of its fields, so that `allowed: true` never leads to a 422 the client could not
foresee (issue 12, wrong answer 4)."""

from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


def options(client: TestClient, world: World, url: str, who: str) -> dict[str, dict]:
    answer = client.get(url, headers=world.headers(who))
    assert answer.status_code == 200, answer.text
    return {o["action"]: o for o in answer.json()}


def test_actions_that_need_a_comment_say_so(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)
    listed = options(client, world, f"/api/v1/proposals/{proposal.id}/transitions", "secretariat")

    assert listed["return_for_revision"]["comment_required"] is True
    assert listed["declare_ineligible"]["comment_required"] is True
    assert listed["accept_for_review"]["comment_required"] is False
    without = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "return_for_revision"},
    )
    assert without.status_code == 422


def test_decide_lists_the_fields_it_takes(client: TestClient, world: World):
    proposal = world.reviewed()
    listed = options(client, world, f"/api/v1/proposals/{proposal.id}/transitions", "secretariat")

    schema = listed["decide"]["payload_schema"]
    assert {"outcome", "granted_amount", "conditions", "rationale", "session_id"} <= set(
        schema["properties"]
    )
    assert "outcome" in schema["required"]
    assert listed["decide"]["to"] == [
        "approved",
        "approved_with_conditions",
        "deferred",
        "rejected",
    ]
