"""Concurrent transitions: one wins, the other gets 409, never both and never a 500."""

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.accounts.service import actor_of
from fundflow.core.errors import Conflict
from fundflow.core.transitions import perform_transition
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.proposals import policies
from fundflow.proposals.models import Proposal, ProposalStatus
from tests.builders import World
from tests.conftest import is_postgres


@pytest.fixture
def committed_world(committed_engine: Engine) -> World:
    with Session(committed_engine, expire_on_commit=False) as session:
        world = World.build(session)
        world.submitted = world.proposal(status=ProposalStatus.SUBMITTED)  # type: ignore[attr-defined]
        session.commit()
        return world


def test_parallel_accept_for_review_same_version(
    committed_engine: Engine, committed_world: World, committed_client: TestClient
):
    client = committed_client
    proposal = committed_world.submitted  # type: ignore[attr-defined]
    headers = committed_world.headers("secretariat")
    start = threading.Barrier(2)
    statuses: list[int] = []

    def accept() -> None:
        start.wait()
        response = client.post(
            f"/api/v1/proposals/{proposal.id}/transitions",
            headers=headers,
            json={"action": "accept_for_review", "version": proposal.version},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 409]
    with Session(committed_engine) as session:
        stored = session.get(Proposal, proposal.id)
        assert stored is not None
        assert stored.status == ProposalStatus.IN_REVIEW
        assert stored.version == proposal.version + 1


@pytest.mark.skipif(not is_postgres(), reason="row locks between open transactions: PostgreSQL")
def test_second_writer_waits_for_the_first_and_then_conflicts(
    committed_engine: Engine, committed_world: World
):
    """Both read version N; the second UPDATE waits on the row lock, then matches nothing."""
    proposal_id = committed_world.submitted.id  # type: ignore[attr-defined]
    actor = actor_of(committed_world.secretariat)
    first, second = Session(committed_engine), Session(committed_engine)
    outcome: list[BaseException | None] = []
    try:
        mine, theirs = first.get(Proposal, proposal_id), second.get(Proposal, proposal_id)
        assert mine is not None and theirs is not None and mine.version == theirs.version

        def take(session: Session, proposal: Proposal) -> None:
            perform_transition(
                session,
                machine=PROPOSAL_MACHINE,
                entity=proposal,
                actor=actor,
                acting_roles=policies.acting_roles(actor, proposal),
                action="accept_for_review",
                version=proposal.version,
            )

        take(first, mine)

        def racer() -> None:
            try:
                take(second, theirs)
                outcome.append(None)
            except BaseException as exc:  # noqa: BLE001 - the thread reports what happened
                outcome.append(exc)

        thread = threading.Thread(target=racer)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second writer should wait for the first one's lock"
        first.commit()
        thread.join(timeout=30)
        assert len(outcome) == 1 and isinstance(outcome[0], Conflict)
    finally:
        second.rollback()
        first.close()
        second.close()
