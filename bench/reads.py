"""The reads pages and clients call most, measured in process: SQL statements per read and
time per read, beside a bare one-row SELECT through the same engine in the same run.

Loads the demo into a new SQLite database (or --database-url, an empty migrated one) and
signs in as the secretariat. The ratio to the bare read is what travels between machines;
`../shared/perf/run.sh` measures the same reads over HTTP against a bare FastAPI app.

    .venv/bin/python bench/reads.py                 # SQLite, 300 reads each
    .venv/bin/python bench/reads.py --reads 1000
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench-password-0123"
FUNDFLOW = Path(sys.executable).parent / "fundflow"
READS = ("/api/v1/me", "/api/v1/proposals/1", "/api/v1/proposals?limit=50", "/api/v1/projects/1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='fundflow-bench-')}/b.db"
    os.environ.update(
        FUNDFLOW_DATABASE_URL=url,
        FUNDFLOW_ENVIRONMENT="development",
        FUNDFLOW_SECRET_KEY="bench-secret-key-0123456789abcdefghij",
    )
    for command in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
        subprocess.run([str(FUNDFLOW), *command], check=True, capture_output=True)

    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from fundflow.core.database import get_engine
    from fundflow.main import create_app

    client = TestClient(create_app())
    token = client.post(
        "/api/v1/auth/token",
        data={"username": "secretariat@fedevaco.example", "password": PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    engine = get_engine()
    statements: list[str] = []
    from fundflow.core.database import reading, reading_on_the_loop

    # Reads go through the readers' pools (on the loop for quick reads on PostgreSQL).
    for pool in {engine, reading(engine), reading_on_the_loop(engine)}:
        sa.event.listen(pool, "before_cursor_execute", lambda *a: statements.append(a[2]))

    for path in READS:
        client.get(path, headers=headers)  # warm: compiled statements cached
        statements.clear()
        assert client.get(path, headers=headers).status_code == 200
        count = len([s for s in statements if not s.startswith(("BEGIN", "ROLLBACK", "COMMIT"))])
        print(f"{path}: {count} statement(s)")

    from fundflow.accounts.sessions import signed_in_actor
    from fundflow.core.config import get_settings
    from fundflow.core.database import read_session
    from fundflow.core.pagination import PageParams
    from fundflow.core.tokens import read_access_token
    from fundflow.projects import service as projects
    from fundflow.proposals import service as proposals
    from fundflow.proposals.read_model import ANY_PROPOSAL

    claims = read_access_token(get_settings(), token)
    with read_session() as session:
        signed_in = signed_in_actor(session, user_id=claims.user_id, session_id=claims.session_id)
        assert signed_in is not None
        actor, _restriction = signed_in
        work = {
            "bare one-row SELECT": lambda: session.execute(
                sa.text("SELECT id FROM proposal WHERE id = 1")
            ).all(),
            "the caller": lambda: signed_in_actor(
                session, user_id=claims.user_id, session_id=claims.session_id
            ),
            "a proposal": lambda: proposals.read_proposal(session, actor=actor, proposal_id=1),
            "a proposal, rendered before": lambda: proposals.read_proposal_rendered(
                session, actor=actor, proposal_id=1
            ),
            "50 proposals": lambda: proposals.read_proposals(
                session, actor=actor, page=PageParams(limit=50, after_id=None)
            ),
            "50 proposals, rendered before": lambda: proposals.read_proposals_rendered(
                session, actor=actor, page=PageParams(limit=50), filters=ANY_PROPOSAL
            ),
            "a project": lambda: projects.read_project(session, 1, actor),
        }
        bare = _timed(args.reads, work.pop("bare one-row SELECT"))
        print(f"bare one-row SELECT: {bare * 1000:.3f} ms")
        for name, read in work.items():
            took = _timed(args.reads, read)
            print(f"{name}: {took * 1000:.3f} ms ({took / bare:.1f}x the bare SELECT)")


def _timed(times: int, work: object) -> float:
    assert callable(work)
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
