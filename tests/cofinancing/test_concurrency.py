"""Twenty parallel commitments against an envelope with room for five: exactly five land."""

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.cofinancing.invariants import violations
from fundflow.core.database import get_session, make_engine
from fundflow.funders.models import Envelope
from fundflow.main import create_app
from tests.builders import World


@pytest.fixture
def committed_engine(database_factory: Callable[[], str]) -> Iterator[Engine]:
    engine = make_engine(database_factory())
    yield engine
    engine.dispose()


def test_parallel_commitments_never_over_commit(committed_engine: Engine):
    with Session(committed_engine, expire_on_commit=False) as session:
        world = World.build(session)
        projects = [world.project("1000.00") for _ in range(20)]
        envelope = world.envelope_of("Ville de Lausanne", amount="5000.00")
        session.commit()

    app = create_app(check_migrations=False)

    def real_session() -> Iterator[Session]:
        with Session(committed_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    app.dependency_overrides[get_session] = real_session
    client = TestClient(app, raise_server_exceptions=False)
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
