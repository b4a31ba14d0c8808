"""Funding statistics against totals computed by hand."""

import pytest
from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


@pytest.fixture
def funded(world: World) -> World:
    """A: association A, Morocco, approved 35,000 (20,000 confirmed); B: association B,
    Senegal, rejected; C: association A, Morocco, submitted. Each requested 40,000."""
    project = world.project()
    world.commit(project, world.envelope, "20000.00")
    rejected = world.reviewed(owner="b")
    from fundflow.accounts.models import Role
    from fundflow.accounts.service import actor_of
    from fundflow.core.transitions import perform_transition
    from fundflow.proposals.workflow import PROPOSAL_MACHINE

    perform_transition(
        world.session,
        machine=PROPOSAL_MACHINE,
        entity=rejected,
        actor=actor_of(world.secretariat),
        acting_roles={Role.SECRETARIAT},
        action="decide",
        payload={"outcome": "rejected", "rationale": "Non."},
    )
    world.proposal(status=ProposalStatus.SUBMITTED)
    world.proposal(status=ProposalStatus.DRAFT)  # never counted
    world.session.commit()
    return world


def stats(client: TestClient, world: World, query: str = "") -> dict:
    response = client.get(f"/api/v1/stats/funding{query}", headers=world.headers("secretariat"))
    assert response.status_code == 200, response.text
    return response.json()


def test_totals(client: TestClient, funded: World):
    assert stats(client, funded)["totals"] == {
        "requested": "120000.00",
        "granted": "35000.00",
        "committed": "20000.00",
        "disbursed": "0.00",
        "proposals": 3,
        "approved": 1,
        "success_rate": "0.3333",
    }


def test_by_country(client: TestClient, funded: World):
    rows = stats(client, funded, "?group_by=country")["rows"]
    assert [
        (
            r["country"],
            r["proposals"],
            r["approved"],
            r["requested"],
            r["granted"],
            r["committed"],
            r["success_rate"],
        )
        for r in rows
    ] == [
        ("MA", 2, 1, "80000.00", "35000.00", "20000.00", "0.5000"),
        ("SN", 1, 0, "40000.00", "0.00", "0.00", "0.0000"),
    ]


def test_by_organisation_and_diaspora_and_call_and_year(client: TestClient, funded: World):
    by_org = stats(client, funded, "?group_by=organisation")["rows"]
    assert [(r["organisation"], r["proposals"], r["granted"]) for r in by_org] == [
        ("Association Tafraout Solidarité", 2, "35000.00"),
        ("Teranga Vaud", 1, "0.00"),
    ]
    diaspora = stats(client, funded, "?group_by=diaspora_led")["rows"]
    assert [(r["diaspora_led"], r["proposals"]) for r in diaspora] == [(True, 3)]
    by_call = stats(client, funded, "?group_by=call")["rows"]
    assert [(r["call_id"], r["proposals"], r["requested"]) for r in by_call] == [
        (funded.call.id, 3, "120000.00")
    ]
    by_year = stats(client, funded, f"?group_by=year&year={funded.call.year}")["rows"]
    assert [(r["year"], r["approved"]) for r in by_year] == [(funded.call.year, 1)]
    assert stats(client, funded, f"?year={funded.call.year + 1}")["totals"]["proposals"] == 0


def test_two_dimensions(client: TestClient, funded: World):
    rows = stats(client, funded, "?group_by=country,organisation")["rows"]
    assert [(r["country"], r["organisation"], r["proposals"]) for r in rows] == [
        ("MA", "Association Tafraout Solidarité", 2),
        ("SN", "Teranga Vaud", 1),
    ]


def test_bad_grouping_is_422(client: TestClient, funded: World):
    for query in (
        "?group_by=planet",
        "?group_by=country,call,year",
        "?group_by=country&group_by=country",
    ):
        response = client.get(
            f"/api/v1/stats/funding{query}", headers=funded.headers("secretariat")
        )
        assert response.status_code == 422, query
