"""An association's track record, checked against what the world built."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.accounts.service import actor_of
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from tests.builders import World


def test_track_record_of_an_association(client: TestClient, world: World, session: Session):
    signed = world.signed()
    world.submitted_report(signed)
    refund = world.refund()  # a second project: first tranche paid, then terminated
    rejected = world.reviewed()
    perform_transition(
        session,
        machine=PROPOSAL_MACHINE,
        entity=rejected,
        actor=actor_of(world.secretariat),
        acting_roles={Role.SECRETARIAT},
        action="decide",
        payload={"outcome": "rejected", "rationale": "Non."},
    )
    world.proposal()  # a draft: private, never in the record
    world.proposal(owner="b")  # another association
    session.commit()

    record = client.get(
        f"/api/v1/organisations/{world.org_a.id}/track-record", headers=world.headers("commission")
    ).json()
    assert (record["proposals"], record["approved"]) == (3, 2)
    assert (record["requested"], record["granted"]) == ("120000.00", "70000.00")
    # The terminated project's first tranche: 80 % of 35,000.
    assert record["disbursed"] == "28000.00" and record["refunds_due"] == "28000.00"
    assert (record["reports_on_time"], record["reports_late"]) == (1, 0)
    statuses = [(i["status"], i["project_status"], i["refund_status"]) for i in record["items"]]
    assert statuses == [
        ("approved", "active", None),
        ("approved", "terminated", "due"),
        ("rejected", None, None),
    ]
    assert record["items"][0]["funders"] == ["Direction du développement et de la coopération"]
    assert refund.amount


def test_who_may_read_a_track_record(client: TestClient, world: World):
    url = f"/api/v1/organisations/{world.org_a.id}/track-record"
    for who, status in (
        ("secretariat", 200),
        ("commission", 200),
        ("applicant_a", 200),
        ("applicant_b", 404),
        ("authority", 403),
        ("admin", 403),
    ):
        assert client.get(url, headers=world.headers(who)).status_code == status, who
