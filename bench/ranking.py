"""Time GET /calls/{id}/ranking on a call of 5,000 proposals × 3 reviews × 6 criteria.

Loads the data into a fresh PostgreSQL database (created and dropped by the script),
then calls the endpoint over HTTP (in-process ASGI) and prints the median and p95.

    .venv/bin/python bench/ranking.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                      [--proposals 5000] [--runs 30]
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(__file__))
import loading  # noqa: E402
from loading import DEFAULT_URL, api_client, executing, scratch_database, side_by_side  # noqa: E402

CRITERIA = [
    ("relevance", 2, "2.5"),
    ("partnership", 2, "2.5"),
    ("feasibility", 1.5, None),
    ("sustainability", 1.5, None),
    ("budget", 1, None),
    ("awareness", 0.5, None),
]


def load(url: str, proposals: int) -> tuple[int, int]:
    """Insert the call and its reviewed proposals; return (call id, secretariat user id)."""
    from fundflow.core.database import make_engine
    from fundflow.models import (
        Call,
        CallCriterion,
        CallPriority,
        Envelope,
        FinancingLine,
        Funder,
        Proposal,
        ReviewScore,
    )

    rng = random.Random(2027)
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as db:

        def insert(model, rows):  # type: ignore[no-untyped-def]
            return loading.insert(db, model, rows)

        org_ids = loading.organisations(db, 200, now, diaspora_every=3)
        call_id = insert(
            Call,
            [
                {
                    "kind": "cooperation",
                    "title": "Benchmark call",
                    "year": 2027,
                    "opens_at": now - timedelta(days=60),
                    "closes_at": now + timedelta(days=60),
                    "currency": "CHF",
                    "status": "open",
                    "version": 1,
                    "created_at": now,
                    "rules": {
                        "min_request": None,
                        "max_request": None,
                        "max_requested_share": "0.5",
                        "min_own_share": "0.1",
                        "max_duration_months": 36,
                        "requires_partner": True,
                        "members_only": True,
                        "eligible_countries": [],
                        "min_reviews": 2,
                        "overall_threshold": "60",
                        "dispersion_limit": "2",
                    },
                    "reporting": {"interim_every_months": 12, "final_due_days": 180},
                    "tranches": [
                        {"share": "0.8", "on": "on_signature"},
                        {"share": "0.2", "on": "on_final_report_approved"},
                    ],
                }
            ],
        )[0]
        insert(CallPriority, [{"call_id": call_id, "position": 0, "code": "water", "label": "Eau"}])
        criterion_ids = insert(
            CallCriterion,
            [
                {
                    "call_id": call_id,
                    "position": i,
                    "code": code,
                    "label": code.title(),
                    "weight": Decimal(str(weight)),
                    "max_score": Decimal(5),
                    "threshold": Decimal(threshold) if threshold else None,
                    "optional": False,
                }
                for i, (code, weight, threshold) in enumerate(CRITERIA)
            ],
        )
        reviewer_ids = loading.users(
            db, now, [f"expert{i}@bench.example" for i in range(30)], "commission"
        )
        secretariat_id = loading.users(db, now, ["secretariat@bench.example"], "secretariat")[0]
        proposal_ids = insert(
            Proposal,
            [
                {
                    "call_id": call_id,
                    "organisation_id": rng.choice(org_ids),
                    "title": f"Projet {i}",
                    "status": "in_review",
                    "version": 3,
                    "start_date": date(2027, 5, 1),
                    "end_date": date(2028, 10, 31),
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now - timedelta(minutes=i),
                }
                for i in range(proposals)
            ],
        )
        db.execute(
            sa.insert(FinancingLine),
            [
                {
                    "proposal_id": pid,
                    "position": pos,
                    "source": source,
                    "amount": amount,
                    "status": "confirmed",
                }
                for pid in proposal_ids
                for pos, (source, amount) in enumerate(
                    (
                        ("own_funds", Decimal(rng.randrange(2000, 20000))),
                        ("requested", Decimal(rng.randrange(5000, 80000))),
                    )
                )
            ],
        )
        review_ids = loading.submitted_reviews(
            db,
            now,
            [(pid, reviewer) for pid in proposal_ids for reviewer in rng.sample(reviewer_ids, 3)],
        )
        scores = [
            {
                "review_id": rid,
                "criterion_id": cid,
                "score": Decimal(rng.randrange(0, 11)) / 2,
                "not_applicable": False,
            }
            for rid in review_ids
            for cid in criterion_ids
        ]
        for start in range(0, len(scores), 20000):
            db.execute(sa.insert(ReviewScore), scores[start : start + 20000])
        funder_id = insert(
            Funder, [{"name": "Federal agency", "level": "federal", "created_at": now}]
        )[0]
        insert(
            Envelope,
            [
                {
                    "funder_id": funder_id,
                    "year": 2027,
                    "amount": Decimal("3000000"),
                    "committed": Decimal(0),
                    "disbursed": Decimal(0),
                    "eligible_countries": [],
                    "eligible_call_kinds": [],
                    "use_abroad_only": False,
                    "version": 1,
                    "created_at": now,
                }
            ],
        )
    with engine.begin() as db:
        # What autovacuum does on a live database after a bulk load.
        db.execute(sa.text("ANALYZE"))
    engine.dispose()
    return call_id, secretariat_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FUNDFLOW_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with scratch_database(args.url) as url:
        started = time.perf_counter()
        call_id, user_id = load(url, args.proposals)
        print(
            f"loaded {args.proposals} proposals × 3 reviews × {len(CRITERIA)} criteria "
            f"in {time.perf_counter() - started:.1f} s"
        )

        client, headers = api_client(user_id)
        first = client.get(f"/api/v1/calls/{call_id}/ranking", headers=headers)
        assert first.status_code == 200, first.text
        items = first.json()["items"]
        assert len(items) == args.proposals
        print(
            f"fundable {sum(i['funding_status'] == 'fundable' for i in items)}, "
            f"passing {sum(i['passes_thresholds'] for i in items)}"
        )

        def ranking() -> None:
            assert client.get(f"/api/v1/calls/{call_id}/ranking", headers=headers).is_success

        side_by_side(
            f"GET /calls/{{id}}/ranking of {len(items)} proposals, {args.runs} runs",
            ranking,
            bare_pivoted_query(call_id),
            runs=args.runs,
            target_ratio=3,
            budget_ms=300,
        )


def bare_pivoted_query(call_id: int):  # type: ignore[no-untyped-def]
    """The statement the ranking reads (the proposals and their grouped, pivoted scores),
    alone, its rows fetched."""
    from sqlmodel import Session

    from fundflow.core.database import get_engine
    from fundflow.models import Call
    from fundflow.reviews.ranking_service import ranking_query

    with Session(get_engine()) as session:
        call = session.get(Call, call_id)
        assert call is not None
        return executing(ranking_query(call))


if __name__ == "__main__":
    sys.exit(main())
