"""The ranking endpoint with a budget line drawn on the call's envelopes, and calibration."""

import csv
import io

from fastapi.testclient import TestClient

from fundflow.funders.schemas import EnvelopeCreate
from fundflow.funders.service import create_envelope
from fundflow.reviews.schemas import Ranking
from tests.builders import BUILDER, World


def three_proposals(world: World):  # type: ignore[no-untyped-def]
    # P1: relevance 5, feasibility 4.5 → (2×1 + 1×0.9)/3 = 96.67
    p1 = world.reviewed(
        scores=({"relevance": "5", "feasibility": "5"}, {"relevance": "5", "feasibility": "4"})
    )
    # P2: relevance 4.25, feasibility 2.5 → 73.33
    p2 = world.reviewed(owner="b")
    # P3: relevance 2 (< 2.5 threshold), feasibility 5 → (0.8 + 1)/3 = 60.00, fails
    p3 = world.reviewed(
        scores=({"relevance": "2", "feasibility": "5"}, {"relevance": "2", "feasibility": "5"})
    )
    return p1, p2, p3


def test_ranking_with_budget_line_and_csv(client: TestClient, world: World):
    p1, p2, p3 = three_proposals(world)
    secretariat = world.headers("secretariat")
    client.patch(
        f"/api/v1/envelopes/{world.envelope.id}", headers=secretariat, json={"amount": "50000.00"}
    )
    # Counted: one attached to the call. Not counted: one for integration calls only.
    for data in (
        EnvelopeCreate(
            year=world.call.year,
            amount="20000.00",  # type: ignore[arg-type]
            call_id=world.call.id,
        ),
        EnvelopeCreate(
            year=world.call.year,
            amount="900000.00",  # type: ignore[arg-type]
            eligible_call_kinds=["integration"],
        ),
    ):
        create_envelope(world.session, actor=BUILDER, funder=world.funder, data=data)
    world.session.commit()

    ranking = client.get(f"/api/v1/calls/{world.call.id}/ranking", headers=secretariat).json()
    # The document is built without models for speed: it must still be what the schema says.
    assert Ranking.model_validate(ranking).model_dump(mode="json") == ranking
    assert ranking["budget"] == {
        "envelopes_total": "70000.00",
        "committed": "0.00",
        "granted_not_committed": "0.00",
        "available": "70000.00",
        "requested_by_passing": "80000.00",
        "fundable": 1,
        "reserve": 1,
        "below_threshold": 1,
        "not_yet_scored": 0,
        "funded": 0,
    }
    assert [
        (i["proposal_id"], i["rank"], i["score"], i["cumulative_requested"], i["funding_status"])
        for i in ranking["items"]
    ] == [
        (p1.id, 1, "96.67", "40000.00", "fundable"),
        (p2.id, 2, "73.33", "80000.00", "reserve"),
        (p3.id, 3, "60.00", None, "below_threshold"),
    ]
    relevance = ranking["items"][2]["criteria"][0]
    assert relevance == {
        "criterion": "relevance",
        "mean": "2.00",
        "threshold": "2.5",
        "passed": False,
        "spread": "0.00",
        "dispersed": False,
    }

    exported = client.get(
        f"/api/v1/calls/{world.call.id}/ranking?format=csv", headers=world.headers("commission")
    )
    assert exported.status_code == 200
    assert f'filename="ranking-call-{world.call.id}.csv"' in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [
        (r["rank"], r["proposal_id"], r["score"], r["funding_status"], r["mean_relevance"])
        for r in rows
    ] == [
        ("1", str(p1.id), "96.67", "fundable", "5.00"),
        ("2", str(p2.id), "73.33", "reserve", "4.25"),
        ("3", str(p3.id), "60.00", "below_threshold", "2.00"),
    ]


def test_calibration_against_the_commission(client: TestClient, world: World):
    three_proposals(world)
    result = client.get(
        f"/api/v1/calls/{world.call.id}/calibration", headers=world.headers("secretariat")
    ).json()
    # Twelve scores as % of max: commission 100,100,80,60,40,100 (mean 80); commission_b
    # 100,80,90,40,40,100 (mean 75). All: mean 77.5, sd √(7225/12) = 24.54.
    assert (result["commission_mean"], result["commission_spread"]) == ("77.50", "24.54")
    assert [
        (r["reviewer_id"], r["mean"], r["offset"], r["tendency"], r["proposals"])
        for r in result["reviewers"]
    ] == [
        (world.commission.id, "80.00", "2.50", "typical", 3),
        (world.commission_b.id, "75.00", "-2.50", "typical", 3),
    ]
    assert len(result["proposals"]) == 3
    assert all(p["calibrated_score"] is not None for p in result["proposals"])


def test_a_call_without_reviews_ranks_what_is_in_review(client: TestClient, world: World):
    from fundflow.proposals.models import ProposalStatus

    waiting = world.proposal(status=ProposalStatus.IN_REVIEW)
    world.proposal(status=ProposalStatus.SUBMITTED)  # not yet screened: not ranked
    items = client.get(
        f"/api/v1/calls/{world.call.id}/ranking", headers=world.headers("secretariat")
    ).json()["items"]
    assert [
        (i["proposal_id"], i["score"], i["reviews_submitted"], i["funding_status"]) for i in items
    ] == [(waiting.id, None, 0, "not_yet_scored")]


def test_a_funded_proposal_is_never_counted_twice(client: TestClient, world: World):
    """Issue 12, wrong answer 1: an approved and committed proposal is money spent, not a
    claim on what is left; an approved one not yet committed is money promised."""
    secretariat = world.headers("secretariat")
    client.patch(
        f"/api/v1/envelopes/{world.envelope.id}", headers=secretariat, json={"amount": "100000.00"}
    )
    committed = world.project()  # approved, 35,000 granted
    world.commit(committed, world.envelope, "35000.00")
    promised = world.project(granted="20000.00")  # approved, nothing committed yet
    waiting = world.reviewed(owner="b")  # asks 40,000: fits in what is left
    world.session.commit()

    ranking = client.get(f"/api/v1/calls/{world.call.id}/ranking", headers=secretariat).json()

    assert ranking["budget"]["committed"] == "35000.00"
    assert ranking["budget"]["granted_not_committed"] == "20000.00"
    assert ranking["budget"]["available"] == "45000.00"
    assert ranking["budget"]["requested_by_passing"] == "40000.00"
    statuses = {i["proposal_id"]: i["funding_status"] for i in ranking["items"]}
    assert statuses == {
        committed.proposal_id: "funded",
        promised.proposal_id: "funded",
        waiting.id: "fundable",
    }
    assert (ranking["budget"]["funded"], ranking["budget"]["reserve"]) == (2, 0)
