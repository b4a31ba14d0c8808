"""The secretariat's list of proposals (/dossiers) at 10,000 proposals: SQL statements per
page, time per page in process beside its two statements alone, and throughput over HTTP
under wrk (8 connections) with the service's default worker count, on the demo loaded
into a scratch database plus 10,000 submitted proposals. Needs wrk (`apt-get install wrk`).

    .venv/bin/python bench/worklist.py                      # SQLite
    .venv/bin/python bench/worklist.py --database-url postgresql+psycopg://postgres@127.0.0.1/x
    (an empty database the script may fill; SQLite by default)

Targets (issue 15): at most 5 statements a page; at least 40 requests/s.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx

sys.path.insert(0, os.path.dirname(__file__))
import loading  # noqa: E402

FUNDFLOW = loading.FUNDFLOW
PASSWORD = "Bench-worklist-2027!"
SECRETARIAT = "secretariat@fedevaco.example"
PORT = 18620
PAGE = "/dossiers"


def add_proposals(url: str, count: int) -> None:
    """``count`` submitted proposals of the demo's associations, each with what it asks."""
    import sqlalchemy as sa

    from fundflow.core.database import make_engine
    from fundflow.models import Call, FinancingLine, Organisation, Proposal

    now = datetime.now(UTC)
    engine = make_engine(url)
    with engine.begin() as db:
        orgs = db.execute(sa.select(Organisation.id)).scalars().all()
        calls = db.execute(sa.select(Call.id)).scalars().all()
        ids = loading.insert(
            db,
            Proposal,
            [
                {
                    "call_id": calls[i % len(calls)],
                    "organisation_id": orgs[i % len(orgs)],
                    "title": f"Projet de puits n° {i}",
                    "summary": "Résumé",
                    "country": "SN",
                    "status": ("submitted", "in_review", "approved", "rejected")[i % 4],
                    "version": 3,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now - timedelta(days=i % 400),
                }
                for i in range(count)
            ],
        )
        loading.insert(
            db,
            FinancingLine,
            [
                {
                    "proposal_id": pid,
                    "position": 0,
                    "source": "requested",
                    "amount": Decimal(20000 + pid % 50000),
                    "status": "requested",
                }
                for pid in ids
            ],
            returning=False,
        )
    engine.dispose()


def _cookie(response: httpx.Response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        found = re.match(rf"{name}=([^;]+)", header)
        if found:
            return found.group(1)
    raise RuntimeError(f"no {name} cookie")


def sign_in(base: str) -> str:
    """The browser's cookies after signing in as the secretariat through the form."""
    form = httpx.get(f"{base}/connexion")
    csrf = _cookie(form, "csrftoken")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token
    answer = httpx.post(
        f"{base}/connexion",
        data={"csrftoken": token.group(1), "email": SECRETARIAT, "password": PASSWORD, "next": "/"},
        headers={"Cookie": f"csrftoken={csrf}"},
    )
    assert answer.status_code == 303, answer.text
    return f"csrftoken={csrf}; fundflow_session={_cookie(answer, 'fundflow_session')}"


def statements_per_page(cookies: str) -> None:
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from fundflow.core.database import get_engine, reading
    from fundflow.main import create_app

    client = TestClient(create_app(), base_url="https://bench", follow_redirects=False)
    headers = {"Cookie": cookies}
    statements: list[str] = []
    for engine in (get_engine(), reading(get_engine())):  # pages read on the reading engine
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for path in (PAGE, f"{PAGE}?etat=submitted", f"{PAGE}?q=puits"):
        warm = client.get(path, headers=headers)
        assert warm.status_code == 200 and "<h1>" in warm.text, warm.status_code
        statements.clear()
        started = time.perf_counter()
        page = client.get(path, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert page.status_code == 200
        count = len([s for s in statements if not s.startswith(("BEGIN", "ROLLBACK", "COMMIT"))])
        print(f"{path}: {count} statement(s) (target ≤ 5), {elapsed:.1f} ms in process")


def throughput(base: str, cookies: str, seconds: int, connections: int) -> None:
    figures = loading.wrk(f"{base}{PAGE}", f"Cookie: {cookies}", seconds, connections)
    rate = float(figures["rps"]) if figures["rps"] != "?" else 0.0
    print(
        f"GET {PAGE} over HTTP, 1 worker, {connections} connections: {rate:.1f} req/s "
        f"({'within' if rate >= 40 else 'UNDER'} the target ≥ 40), "
        f"p50 {figures['p50']}, p99 {figures['p99']}, non-2xx {figures['non_2xx']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='fundflow-bench-')}/w.db"
    env = os.environ | {
        "FUNDFLOW_DATABASE_URL": url,
        "FUNDFLOW_ENVIRONMENT": "development",
        "FUNDFLOW_SECRET_KEY": "bench-secret-key-0123456789abcdefghij",
        "FUNDFLOW_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    for command in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
        subprocess.run([str(FUNDFLOW), *command], check=True, capture_output=True, env=env)
    add_proposals(url, args.proposals)
    print(f"{args.proposals} proposals added to the demo ({url.split(':', 1)[0]})")
    with loading.serving(env, PORT) as base:
        cookies = sign_in(base)
        statements_per_page(cookies)
        throughput(base, cookies, args.seconds, args.connections)


if __name__ == "__main__":
    main()
