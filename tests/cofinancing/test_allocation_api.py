"""The allocation endpoints on the call's approved projects, in ranking order."""

from fastapi.testclient import TestClient

from tests.builders import World


def test_plan_follows_the_ranking_and_explains_the_rest(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    client.patch(
        f"/api/v1/envelopes/{world.envelope.id}", headers=secretariat, json={"amount": "50000.00"}
    )
    # Three approved projects of 35,000 each; the better-scored first.
    strong = world.decided()  # 73.33 (default sheets)
    weaker = world.reviewed(
        scores=({"relevance": "3", "feasibility": "3"}, {"relevance": "3", "feasibility": "3"})
    )
    client.post(
        f"/api/v1/proposals/{weaker.id}/transitions",
        headers=secretariat,
        json={
            "action": "decide",
            "outcome": "approved",
            "granted_amount": "35000.00",
            "rationale": "Retenu.",
        },
    )
    plan = client.post(f"/api/v1/calls/{world.call.id}/allocation", headers=secretariat).json()
    assert plan["funded"] == 1
    assert [(line["project_id"], line["amount"], line["rank"]) for line in plan["plan"]] == [
        (strong.project.id, "35000.00", 1)
    ]
    [unfunded] = plan["unfunded"]
    assert unfunded["rule"] == "shortfall" and unfunded["rank"] == 2
    assert "use all but 15'000.00 of the envelopes; it needs 35'000.00" in unfunded["reason"]
    assert plan["by_funder"] == [
        {"funder_id": world.funder.id, "amount": "35000.00", "available": "50000.00"}
    ]
    applied = client.post(
        f"/api/v1/calls/{world.call.id}/allocation/apply", headers=secretariat
    ).json()
    assert [c["amount"] for c in applied["created"]] == ["35000.00"]
    # Applied once, the plan has nothing more to propose for the funded project.
    again = client.post(f"/api/v1/calls/{world.call.id}/allocation", headers=secretariat).json()
    assert again["plan"] == [] and [u["rule"] for u in again["unfunded"]] == ["shortfall"]
    assert "have 15'000.00 left; it needs 35'000.00" in again["unfunded"][0]["reason"]


def test_a_funder_s_available_money_is_this_call_s_only(client: TestClient, world: World):
    """Issue 12, wrong answer 2: another year's envelope of the same funder is no money
    for this call, and is not added to what the plan says is available."""
    from fundflow.funders.schemas import EnvelopeCreate
    from fundflow.funders.service import create_envelope
    from tests.builders import BUILDER

    create_envelope(
        world.session,
        actor=BUILDER,
        funder=world.funder,
        data=EnvelopeCreate.model_validate({"year": world.call.year - 1, "amount": "70000.00"}),
    )
    world.session.commit()
    world.decided()
    plan = client.post(
        f"/api/v1/calls/{world.call.id}/allocation", headers=world.headers("secretariat")
    ).json()
    assert plan["by_funder"] == [
        {"funder_id": world.funder.id, "amount": "35000.00", "available": "500000.00"}
    ]
