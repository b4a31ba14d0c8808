"""Time similar-request detection against 50,000 existing proposals on PostgreSQL.

Loads 16 years of calls, 2,000 associations with 4,000 partners in 12 countries and
50,000 submitted proposals whose texts mix a theme's vocabulary, place names and words of
their own; 2 % are reworded resubmissions of an earlier proposal (new title, shuffled and
partly replaced words), a tenth of the proposals became projects. Fingerprints and band
keys are made by the application's own functions. Then it screens sample proposals through
``find_similar`` (the check every submission's eligibility runs) and through
``GET /proposals/{id}/similar``, and prints the median and p95 per check, the candidates and
matches found, and how many planted resubmissions came out as strong matches.

    .venv/bin/python bench/similar.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                      [--proposals 50000] [--checks 200]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(__file__))
import loading  # noqa: E402
from loading import DEFAULT_URL, api_client, median_p95, scratch_database, side_by_side  # noqa: E402

COUNTRIES = ["MA", "SN", "ML", "BF", "PE", "BO", "CO", "XK", "MG", "HT", "LK", "CD"]
THEMES = {
    "eau": "eau potable puits forage réservoir conduite robinet foyer comité gestion "
    "redevance pompe solaire château assainissement latrine hygiène source captage",
    "école": "école élève enseignant classe salle cantine fourniture bibliothèque "
    "scolarisation fille lecture manuel pupitre alphabétisation parent formation",
    "santé": "santé dispensaire maternité sage-femme vaccination consultation médicament "
    "infirmier accouchement nutrition enfant malnutrition ambulance prévention",
    "agriculture": "agriculture semence irrigation maraîchage coopérative récolte verger "
    "stockage grenier engrais compost élevage bétail vétérinaire marché vente",
    "femmes": "femme coopérative revenu artisanat microcrédit épargne couture transformation "
    "autonomisation leadership formation commercialisation tissage karité",
    "énergie": "énergie panneau solaire batterie éclairage électrification mini-réseau "
    "cuisson foyer amélioré biogaz technicien maintenance lampe",
    "jeunesse": "jeune formation professionnelle apprentissage atelier emploi insertion "
    "menuiserie mécanique informatique sport culture musique centre",
    "environnement": "reboisement arbre pépinière érosion sol conservation biodiversité "
    "mangrove déchet recyclage compostage sensibilisation climat",
}


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def write_text(rng: random.Random, theme: str, place: str, own: list[str]) -> dict[str, str]:
    vocabulary = THEMES[theme].split()
    picked = rng.sample(vocabulary, 10) + own
    rng.shuffle(picked)
    return {
        "title": f"Projet {theme} à {place} : {' '.join(picked[:3])}",
        "summary": f"À {place}, " + " ".join(picked[3:30]) + ".",
        "logframe_goal": " ".join(picked[30:]) + f" pour {place}.",
    }


def reword(rng: random.Random, text: dict[str, str], fresh: list[str]) -> dict[str, str]:
    """A resubmission: new title, a fifth of the words replaced, the order shuffled."""
    words = (text["summary"] + " " + text["logframe_goal"]).split()
    for i in rng.sample(range(len(words)), len(words) // 5):
        words[i] = rng.choice(fresh)
    rng.shuffle(words)
    half = len(words) // 2
    return {
        "title": f"Nouvelle demande {rng.choice(fresh)}",
        "summary": " ".join(words[:half]),
        "logframe_goal": " ".join(words[half:]),
    }


def load(url: str, count: int) -> tuple[int, list[int], list[tuple[int, int]]]:
    """Insert the corpus; return (secretariat id, sample proposal ids, planted pairs)."""
    from fundflow.core.database import make_engine
    from fundflow.models import (
        FinancingLine,
        Partner,
        Project,
        Proposal,
        ProposalFingerprint,
    )
    from fundflow.proposals.similarity.fingerprint import fingerprint

    rng = random.Random(11)
    engine = make_engine(url)
    now = datetime.now(UTC)
    vocabulary = pseudo_words(rng, 20_000)
    places = pseudo_words(random.Random(12), 3_000)
    with engine.begin() as db:

        def insert(model, rows, returning=True):  # type: ignore[no-untyped-def]
            return loading.insert(db, model, rows, returning=returning)

        orgs = loading.organisations(db, 2_000, now, diaspora_every=2)
        calls = loading.yearly_calls(db, now, title="Appel")
        partner_rows = [
            {
                "organisation_id": org,
                "name": f"Partenaire {rng.choice(places).title()} {i}",
                "country": COUNTRIES[org % len(COUNTRIES)],
                "locality": rng.choice(places).title(),
                "kind": "ngo",
                "created_at": now,
            }
            for org in orgs
            for i in range(2)
        ]
        partners = insert(Partner, partner_rows)
        rows, texts, planted = [], [], []
        for i in range(count):
            if i > 1_000 and rng.random() < 0.02:
                original = rng.randrange(i)
                row = dict(rows[original])
                text = reword(rng, texts[original], vocabulary)
                planted.append((original, i))
            else:
                p = rng.randrange(len(partners))
                call = rng.randrange(len(calls))
                start = date(2012 + call, rng.randint(1, 12), 1)
                row = {
                    "call_id": calls[call],
                    "organisation_id": partner_rows[p]["organisation_id"],
                    "partner_id": partners[p],
                    "country": partner_rows[p]["country"],
                    "locality": partner_rows[p]["locality"],
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.randint(300, 1000)),
                }
                text = write_text(
                    rng,
                    rng.choice(list(THEMES)),
                    str(row["locality"]),
                    rng.sample(vocabulary, 30),
                )
            rows.append(row)
            texts.append(text)
        proposal_ids = insert(
            Proposal,
            [
                row
                | text
                | {
                    "status": "submitted",
                    "version": 2,
                    "other_funding_requests_declared": False,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                }
                for row, text in zip(rows, texts, strict=True)
            ],
        )
        insert(
            FinancingLine,
            [
                {
                    "proposal_id": pid,
                    "position": 0,
                    "source": "requested",
                    "amount": Decimal(rng.randrange(5_000, 80_000)),
                    "status": "requested",
                }
                for pid in proposal_ids
            ],
            returning=False,
        )
        insert(
            Project,
            [
                {
                    "proposal_id": pid,
                    "call_id": row["call_id"],
                    "organisation_id": row["organisation_id"],
                    "title": text["title"][:200],
                    "status": rng.choice(["active", "closed", "closed", "final_reporting"]),
                    "granted_amount": Decimal(rng.randrange(5_000, 60_000)),
                    "start_date": row["start_date"],
                    "end_date": row["end_date"],
                    "version": 1,
                    "created_at": now,
                }
                for pid, row, text in zip(proposal_ids, rows, texts, strict=True)
                if pid % 10 == 0
            ],
            returning=False,
        )
        started = time.perf_counter()
        prints = [fingerprint([t["title"], t["summary"], t["logframe_goal"]]) for t in texts]
        print(f"fingerprinted {count} texts in {time.perf_counter() - started:.1f} s")
        insert(
            ProposalFingerprint,
            [
                {
                    "proposal_id": pid,
                    "digest": fp.digest,
                    "words": fp.words,
                    "signature": fp.signature_bytes(),
                }
                for pid, fp in zip(proposal_ids, prints, strict=True)
            ],
            returning=False,
        )
        cursor = db.connection.driver_connection.cursor()
        with cursor.copy("COPY proposal_text_band (band, bucket, proposal_id) FROM STDIN") as copy:
            for pid, fp in zip(proposal_ids, prints, strict=True):
                for band, bucket in fp.band_keys():
                    copy.write_row((band, bucket, pid))
        secretariat = loading.users(db, now, ["secretariat@bench.example"], "secretariat")[0]
    with engine.begin() as db:
        # What autovacuum does on a live database after a bulk load.
        db.execute(sa.text("ANALYZE"))
    engine.dispose()
    pairs = [(proposal_ids[a], proposal_ids[b]) for a, b in planted]
    return secretariat, proposal_ids, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("FUNDFLOW_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--proposals", type=int, default=50_000)
    parser.add_argument("--checks", type=int, default=200)
    args = parser.parse_args()

    with scratch_database(args.url) as url:
        from fundflow.core.database import make_engine

        started = time.perf_counter()
        user_id, proposal_ids, planted = load(url, args.proposals)
        print(
            f"loaded {args.proposals} proposals ({len(planted)} planted resubmissions) "
            f"in {time.perf_counter() - started:.1f} s"
        )

        from sqlmodel import Session

        from fundflow.models import Proposal
        from fundflow.proposals.similarity.candidates import (
            context_candidates,
            profile_of,
            stored_text_candidates,
            text_candidates,
        )
        from fundflow.proposals.similarity.service import find_similar

        rng = random.Random(5)
        resubmissions = rng.sample(planted, min(len(planted), args.checks // 2))
        sample = [b for _, b in resubmissions] + rng.sample(
            proposal_ids, args.checks - len(resubmissions)
        )
        engine = make_engine(url)
        timings, found, candidates = [], [], []
        strong_found = 0
        expected = {b: a for a, b in resubmissions}
        with Session(engine) as session:
            for pid in sample:
                proposal = session.get(Proposal, pid)
                assert proposal is not None
                t0 = time.perf_counter()
                matches = find_similar(session, proposal)
                timings.append((time.perf_counter() - t0) * 1000)
                found.append(len(matches))
                text = text_candidates(profile_of(session, proposal))
                candidates.append(len(session.execute(text).all()) if text is not None else 0)
                if pid in expected and any(
                    m.candidate.profile.proposal_id == expected[pid]
                    and m.similarity.strength == "strong"
                    for m in matches
                ):
                    strong_found += 1
                session.expire_all()
        print(
            f"find_similar over {len(sample)} checks: {median_p95(timings)} (target < 200 ms); "
            f"text candidates per check: median {statistics.median(candidates):.0f}, "
            f"max {max(candidates)}; matches per check: median "
            f"{statistics.median(found):.0f}, max {max(found)}"
        )
        print(
            f"planted resubmissions found as strong matches: {strong_found} of {len(resubmissions)}"
        )

        with Session(engine) as session:
            proposals = [session.get(Proposal, pid) for pid in sample]
            profiles = [profile_of(session, p) for p in proposals if p is not None]

            def checks() -> None:
                for proposal in proposals:
                    assert proposal is not None
                    find_similar(session, proposal)

            def lookups() -> None:
                # The two lookups the check rests on, alone: its text lookup reads the
                # proposal's stored band keys (``stored_text_candidates``).
                for profile in profiles:
                    for lookup in (
                        stored_text_candidates(profile.proposal_id),
                        context_candidates(profile),
                    ):
                        session.connection().execute(lookup).all()

            side_by_side(
                f"the similar-request check, {len(sample)} proposals a pass, 5 passes",
                checks,
                lookups,
                runs=5,
                target_ratio=3,
            )

        client, headers = api_client(user_id)
        http = []
        for pid in sample:
            t0 = time.perf_counter()
            response = client.get(f"/api/v1/proposals/{pid}/similar", headers=headers)
            http.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.text
        print(f"GET /proposals/{{id}}/similar over {len(sample)} requests: {median_p95(http)}")


if __name__ == "__main__":
    sys.exit(main())
