"""`/ready` tells a load balancer whether to send traffic: the database answers and its
schema is the one this version needs."""

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session


def test_ready_when_the_database_is_migrated(client: TestClient):
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready"}


def test_not_ready_when_the_schema_is_another_version(client: TestClient, session: Session):
    session.execute(sa.text("UPDATE alembic_version SET version_num = 'another'"))
    session.commit()
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:fundflow:problem:unavailable"
    assert "fundflow db upgrade" in problem["detail"]
    # Liveness is another question: the process still answers.
    assert client.get("/api/v1/health").status_code == 200
