"""Funding statistics and the IATI export on a large federation's history, in PostgreSQL.

Loads 100,000 submitted proposals (with reviews, financing plans, and for a third of
them projects with commitments, disbursements, a logframe indicator and approved
reports) into a scratch database, then prints the median and p95 of the funding
statistics, and the peak memory of IATI exports of 1,000 and 10,000 activities.

    .venv/bin/python bench/stats.py [--proposals 100000] [--url ...]
"""

import argparse
import os
import random
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(__file__))
import loading  # noqa: E402
from loading import DEFAULT_URL, api_client, executing, scratch_database, side_by_side  # noqa: E402


def load(url: str, proposals: int) -> int:
    from fundflow.core.database import make_engine
    from fundflow.models import (
        Commitment,
        Disbursement,
        Envelope,
        FinancingLine,
        Funder,
        Indicator,
        Outcome,
        Project,
        Proposal,
        Report,
        ReportIndicatorValue,
        Tranche,
    )

    rng = random.Random(7)
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as db:

        def insert(model, rows, returning=True):  # type: ignore[no-untyped-def]
            return loading.insert(db, model, rows, returning=returning)

        countries = ["MA", "SN", "ML", "BF", "PE", "BO", "CO", "XK", "MG", "HT"]
        orgs = loading.organisations(db, 500, now, diaspora_every=2)
        calls = loading.yearly_calls(db, now)
        funders = insert(
            Funder,
            [{"name": f"Funder {i}", "level": "communal", "created_at": now} for i in range(40)],
        )
        envelopes = insert(
            Envelope,
            [
                {
                    "funder_id": f,
                    "year": 2020,
                    "amount": Decimal("900000000"),
                    "committed": Decimal(0),
                    "disbursed": Decimal(0),
                    "eligible_countries": [],
                    "eligible_call_kinds": [],
                    "use_abroad_only": False,
                    "version": 1,
                    "created_at": now,
                }
                for f in funders
            ],
        )
        reviewer = loading.users(db, now, ["expert@bench.example"])[0]
        secretariat = loading.users(db, now, ["secretariat@bench.example"], "secretariat")[0]
        proposal_ids = insert(
            Proposal,
            [
                {
                    "call_id": rng.choice(calls),
                    "organisation_id": rng.choice(orgs),
                    "title": f"Projet {i}",
                    "summary": "Résumé",
                    "country": rng.choice(countries),
                    "status": "approved" if i % 3 == 0 else "rejected",
                    "version": 4,
                    "start_date": date(2020, 1, 1),
                    "end_date": date(2021, 12, 31),
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now - timedelta(days=i % 900),
                }
                for i in range(proposals)
            ],
        )
        insert(
            FinancingLine,
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
                        ("own_funds", Decimal(5000)),
                        ("requested", Decimal(rng.randrange(5000, 80000))),
                    )
                )
            ],
            returning=False,
        )
        loading.submitted_reviews(
            db, now, [(pid, reviewer) for pid in proposal_ids], returning=False
        )
        approved = proposal_ids[::3]
        project_ids = insert(
            Project,
            [
                {
                    "proposal_id": pid,
                    "call_id": rng.choice(calls),
                    "organisation_id": rng.choice(orgs),
                    "title": f"Projet {pid}",
                    "status": "active",
                    "granted_amount": Decimal(30000),
                    "start_date": date(2020, 1, 1),
                    "end_date": date(2021, 12, 31),
                    "version": 2,
                    "created_at": now,
                }
                for pid in approved
            ],
        )
        insert(
            Commitment,
            [
                {
                    "project_id": p,
                    "envelope_id": e,
                    "funder_id": funders[envelopes.index(e)],
                    "amount": Decimal(15000),
                    "disbursed": Decimal(12000),
                    "status": "confirmed",
                    "version": 2,
                    "created_at": now,
                }
                for p in project_ids
                for e in rng.sample(envelopes, 2)
            ],
            returning=False,
        )
        tranches = insert(
            Tranche,
            [
                {
                    "project_id": p,
                    "position": 0,
                    "share": Decimal("0.8"),
                    "amount": Decimal(24000),
                    "condition": "on_signature",
                    "status": "paid",
                }
                for p in project_ids
            ],
        )
        insert(
            Disbursement,
            [
                {
                    "project_id": p,
                    "tranche_id": t,
                    "amount": Decimal(24000),
                    "paid_on": date(2020, 2, 1),
                    "reference": "V",
                    "created_at": now,
                }
                for p, t in zip(project_ids, tranches, strict=True)
            ],
            returning=False,
        )
        outcomes = insert(
            Outcome, [{"proposal_id": pid, "position": 0, "statement": "Effet"} for pid in approved]
        )
        indicators = insert(
            Indicator,
            [
                {
                    "proposal_id": pid,
                    "outcome_id": oid,
                    "position": 0,
                    "name": "Foyers",
                    "unit": "foyers",
                    "baseline": Decimal(0),
                    "baseline_year": 2019,
                    "target": Decimal(300),
                }
                for pid, oid in zip(approved, outcomes, strict=True)
            ],
        )
        reports = insert(
            Report,
            [
                {
                    "project_id": p,
                    "kind": "interim",
                    "period_start": date(2020, 1, 1),
                    "period_end": date(2020, 12, 31),
                    "due_on": date(2021, 3, 1),
                    "status": "approved",
                    "version": 3,
                    "created_at": now,
                }
                for p in project_ids
            ],
        )
        insert(
            ReportIndicatorValue,
            [
                {"report_id": r, "indicator_id": i, "value": Decimal(150)}
                for r, i in zip(reports, indicators, strict=True)
            ],
            returning=False,
        )
    with engine.begin() as db:
        db.execute(sa.text("ANALYZE"))
    engine.dispose()
    return secretariat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FUNDFLOW_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with scratch_database(args.url) as url:
        started = time.perf_counter()
        user_id = load(url, args.proposals)
        print(f"loaded {args.proposals} proposals in {time.perf_counter() - started:.0f} s")

        from sqlmodel import Session

        from fundflow.core.config import get_settings
        from fundflow.core.database import get_engine
        from fundflow.transparency.iati import stream_activities

        client, headers = api_client(user_id)
        for dimensions in ("", "country", "funder,year"):
            query = f"?group_by={dimensions}" if dimensions else ""

            def statistics(query: str = query) -> None:
                answer = client.get(f"/api/v1/stats/funding{query}", headers=headers)
                assert answer.status_code == 200, answer.text

            side_by_side(
                f"GET /stats/funding{query or ' (totals)'}, {args.runs} runs",
                statistics,
                bare_statements(dimensions),
                runs=args.runs,
                target_ratio=2,
                budget_ms=500,
            )
        for limit in (1_000, 10_000):
            tracemalloc.start()
            size = 0
            with Session(get_engine()) as session:
                activities = 0
                for chunk in stream_activities(session, get_settings()):
                    size += len(chunk)
                    activities += chunk.count(b"<iati-activity ")
                    if activities >= limit:
                        break
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"IATI export of {activities} activities ({size / 1e6:.1f} MB): peak memory "
                f"{peak / 1e6:.1f} MB"
            )


def bare_statements(dimensions: str):  # type: ignore[no-untyped-def]
    """The grouped SQL the statistics rest on, alone, rows fetched: the rows, and the
    totals unless they are the rows' sums (``rows_partition``)."""
    from fundflow.statistics.funding import funding_statements, parse_dimensions, rows_partition

    # Every call of the bench is in francs: the statements the service runs then.
    group_by = parse_dimensions([dimensions])
    grouped, totals, names = funding_statements(group_by=group_by, one_currency="CHF")
    if not names:
        return executing(totals)
    return executing(grouped, *([] if rows_partition(group_by, {}) else [totals]))


if __name__ == "__main__":
    main()
