"""Twenty parallel commitments against an envelope with room for five: exactly five land."""

import threading
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.cofinancing.invariants import violations
from fundflow.funders.models import Envelope
from tests.builders import World


def test_parallel_commitments_never_over_commit(
    committed_engine: Engine, committed_client: TestClient
):
    with Session(committed_engine, expire_on_commit=False) as session:
        world = World.build(session)
        projects = [world.project("1000.00") for _ in range(20)]
        envelope = world.envelope_of("Ville de Lausanne", amount="5000.00")
        session.commit()

    client = committed_client
    headers = world.headers("secretariat")
    start = threading.Barrier(20)
    statuses: list[int] = []

    def commit(project_id: int) -> None:
        start.wait()
        response = client.post(
            f"/api/v1/projects/{project_id}/commitments",
            headers=headers,
            json={"envelope_id": envelope.id, "amount": "1000.00"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=commit, args=(p.id,)) for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [201] * 5 + [422] * 15
    with Session(committed_engine) as session:
        stored = session.get(Envelope, envelope.id)
        assert stored is not None and stored.committed == Decimal("5000.00")
        assert violations(session) == []
