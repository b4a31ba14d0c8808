"""Assignment: conflicts of interest excluded, load balanced, expertise preferred."""

from collections import Counter

from fastapi.testclient import TestClient
from sqlmodel import select

from fundflow.core.audit import Event
from fundflow.core.roles import Role
from fundflow.proposals.models import ProposalStatus
from tests.builders import World, make_user


def assign(client: TestClient, world: World, proposal_id: int, reviewer_id: int):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/proposals/{proposal_id}/reviews",
        headers=world.headers("secretariat"),
        json={"reviewer_id": reviewer_id},
    )


def run_assignment(client: TestClient, world: World, per_proposal: int = 2) -> dict:
    response = client.post(
        f"/api/v1/calls/{world.call.id}/review-assignments",
        headers=world.headers("secretariat"),
        json={"reviewers_per_proposal": per_proposal},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_manual_assignment_refuses_conflicts_and_non_members(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    member_of_a = make_user(
        world.session,
        "karim@tafraout.example",
        Role.COMMISSION,
        Role.APPLICANT,
        organisation=world.org_a,
    )
    partner_friend = make_user(world.session, "lina@fedevaco.example", Role.COMMISSION)
    world.session.commit()
    client.put(
        f"/api/v1/commission-members/{partner_friend.id}",
        headers=world.headers("secretariat"),
        json={"affiliated_partner_ids": [world.partner_a.id]},
    )

    for reviewer, rule in (
        (member_of_a, "conflict_of_interest"),
        (partner_friend, "conflict_of_interest"),
        (world.applicant_b, "reviewer_is_commission"),
    ):
        refused = assign(client, world, proposal.id, reviewer.id)
        assert refused.status_code == 422, reviewer.email
        assert refused.json()["errors"][0]["rule"] == rule
    ok = assign(client, world, proposal.id, world.commission.id)
    assert ok.status_code == 201 and ok.json()["status"] == "assigned"
    assert assign(client, world, proposal.id, world.commission.id).status_code == 409
    draft = world.proposal()
    assert assign(client, world, draft.id, world.commission.id).status_code == 404
    submitted = world.proposal(status=ProposalStatus.SUBMITTED)
    assert assign(client, world, submitted.id, world.commission.id).status_code == 409


def test_automatic_assignment_balances_load_and_skips_conflicts(client: TestClient, world: World):
    extra = [
        make_user(world.session, f"expert{i}@fedevaco.example", Role.COMMISSION) for i in range(2)
    ]
    conflicted = make_user(
        world.session,
        "karim@tafraout.example",
        Role.COMMISSION,
        Role.APPLICANT,
        organisation=world.org_a,
    )
    world.session.commit()
    proposals = [
        world.proposal(owner=owner, status=ProposalStatus.IN_REVIEW)
        for owner in ("a", "a", "b", "b")
    ]
    result = run_assignment(client, world)
    assert result["unfilled"] == []
    pairs = [(r["proposal_id"], r["reviewer_id"]) for r in result["assigned"]]
    assert len(pairs) == 8 and len(set(pairs)) == 8
    per_proposal = Counter(pid for pid, _ in pairs)
    assert set(per_proposal.values()) == {2} and set(per_proposal) == {p.id for p in proposals}
    a_ids = {proposals[0].id, proposals[1].id}
    assert all(reviewer != conflicted.id for pid, reviewer in pairs if pid in a_ids)
    # Five members, eight reviews: nobody carries more than the fair share of two.
    load = Counter(reviewer for _, reviewer in pairs)
    assert max(load.values()) == 2
    members = {world.commission.id, world.commission_b.id, conflicted.id} | {u.id for u in extra}
    assert set(load) <= members
    # Running again assigns nothing more.
    assert run_assignment(client, world)["assigned"] == []


def test_expertise_is_preferred_among_equally_loaded_members(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    client.put(
        f"/api/v1/commission-members/{world.commission_b.id}",
        headers=secretariat,
        json={"sectors": ["water"], "countries": ["MA"]},
    )
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    result = run_assignment(client, world, per_proposal=1)
    assert [(r["proposal_id"], r["reviewer_id"]) for r in result["assigned"]] == [
        (proposal.id, world.commission_b.id)
    ]


def test_a_declined_review_is_replaced_on_the_next_run(client: TestClient, world: World):
    third = make_user(world.session, "expert3@fedevaco.example", Role.COMMISSION)
    world.session.commit()
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    first = run_assignment(client, world)["assigned"]
    # Equal load and no expertise recorded: the longest-standing members come first.
    assert {r["reviewer_id"] for r in first} == {world.commission.id, world.commission_b.id}
    declining = next(r for r in first if r["reviewer_id"] == world.commission.id)
    headers = world.headers("commission")
    no_comment = client.post(
        f"/api/v1/reviews/{declining['id']}/transitions",
        headers=headers,
        json={"action": "declare_conflict"},
    )
    assert no_comment.status_code == 422
    declined = client.post(
        f"/api/v1/reviews/{declining['id']}/transitions",
        headers=headers,
        json={"action": "declare_conflict", "comment": "I advised this association last year."},
    )
    assert declined.json()["status"] == "declined"
    # The conflicted reviewer no longer sees the proposal.
    assert client.get(f"/api/v1/proposals/{proposal.id}", headers=headers).status_code == 404
    second = run_assignment(client, world)["assigned"]
    assert [(r["proposal_id"], r["reviewer_id"]) for r in second] == [(proposal.id, third.id)]


def test_not_enough_members_is_reported(client: TestClient, world: World):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    result = run_assignment(client, world, per_proposal=3)
    assert len(result["assigned"]) == 2
    assert result["unfilled"] == [
        {
            "proposal_id": proposal.id,
            "missing": 1,
            "reason": "No further commission member without a conflict is available.",
        }
    ]


def test_members_list_shows_load(client: TestClient, world: World):
    world.reviewed()
    members = client.get("/api/v1/commission-members", headers=world.headers("secretariat")).json()[
        "items"
    ]
    by_id = {m["user_id"]: m for m in members}
    assert by_id[world.commission.id]["submitted_reviews"] == 1
    assert by_id[world.commission.id]["open_reviews"] == 0
    assert (
        client.put(
            "/api/v1/commission-members/999", headers=world.headers("secretariat"), json={}
        ).status_code
        == 404
    )


def test_an_unstarted_assignment_is_withdrawn_and_given_to_another(
    client: TestClient, world: World
):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    review = assign(client, world, proposal.id, world.commission.id).json()
    secretariat = world.headers("secretariat")
    # The member starts it: it is no longer withdrawn.
    started = client.put(
        f"/api/v1/reviews/{review['id']}",
        headers=world.headers("commission"),
        json={"scores": [{"criterion": "relevance", "score": "3"}]},
    )
    assert started.status_code == 200, started.text
    kept = client.delete(f"/api/v1/reviews/{review['id']}", headers=secretariat)
    assert kept.status_code == 409
    other = assign(client, world, proposal.id, world.commission_b.id).json()
    gone = client.delete(f"/api/v1/reviews/{other['id']}", headers=secretariat)
    assert gone.status_code == 204
    assert client.get(f"/api/v1/reviews/{other['id']}", headers=secretariat).status_code == 404
    withdrawn = world.session.exec(
        select(Event).where(Event.action == "withdraw_assignment", Event.entity_id == other["id"])
    ).one()
    assert withdrawn.data == {"proposal_id": proposal.id, "reviewer_id": world.commission_b.id}
    # The proposal may be given again, to the same member or another.
    assert assign(client, world, proposal.id, world.commission_b.id).status_code == 201
