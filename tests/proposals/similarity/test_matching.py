"""The pure parts: which words count, and how a score is made of its reasons."""

from dataclasses import replace
from datetime import date

from fundflow.proposals.similarity.fingerprint import distinctive_words, fingerprint, jaccard
from fundflow.proposals.similarity.matching import (
    POSSIBLE,
    STRONG,
    Profile,
    compare,
    could_reach,
    overlap_days,
)
from tests.proposals.similarity.corpus import CANTEEN, WATER, WATER_PHASE_TWO, WATER_RETITLED


def text_of(content: dict) -> list[str]:
    lf = content["logframe"]
    parts = [content["title"], content["summary"], lf["goal"]]
    for outcome in lf["outcomes"]:
        parts += [outcome["statement"], *(i["name"] for i in outcome["indicators"])]
        for output in outcome["outputs"]:
            parts += [output["statement"], *(i["name"] for i in output["indicators"])]
    return parts


def profile(content: dict, **changes) -> Profile:
    base = Profile(
        proposal_id=1,
        organisation_id=1,
        title=content["title"],
        partner_id=7,
        partner_name="Association Aït Mansour pour le développement",
        country="MA",
        locality=content["locality"],
        start_date=date(2027, 1, 1),
        end_date=date(2028, 12, 31),
        signature=fingerprint(text_of(content)).signature,
    )
    return replace(base, **changes)


def test_accents_case_plurals_and_function_words_do_not_count():
    assert (
        distinctive_words("Les Femmes d'Aït-Mansour et leurs PUITS")
        == distinctive_words("femme ait mansour puit")
        == {"femme", "ait", "mansour", "puit"}
    )


def test_a_short_text_has_no_signature():
    assert fingerprint(["Eau potable", "Tafraout"]).signature is None
    assert fingerprint(text_of(WATER)).signature is not None


def test_the_estimate_is_close_to_the_true_jaccard():
    a = distinctive_words(" ".join(text_of(WATER)))
    b = distinctive_words(" ".join(text_of(WATER_RETITLED)))
    true = len(a & b) / len(a | b)
    sig_a = fingerprint(text_of(WATER)).signature
    sig_b = fingerprint(text_of(WATER_RETITLED)).signature
    assert sig_a is not None and sig_b is not None
    assert abs(jaccard(sig_a, sig_b[None, :])[0] - true) < 0.12


def test_words_alone_are_strong_only_when_copied_word_for_word():
    water = profile(WATER)
    elsewhere = {
        "proposal_id": 2,
        "organisation_id": 2,
        "partner_id": 9,
        "partner_name": "Other NGO",
        "country": "SN",
        "locality": "Podor",
        "start_date": date(2031, 1, 1),
        "end_date": date(2032, 1, 1),
    }
    copied = compare(water, profile(WATER, **elsewhere))
    assert copied.score >= STRONG
    assert [r.field for r in copied.reasons] == ["text", "title"]
    reworded = compare(water, profile(WATER_RETITLED, **elsewhere))
    assert POSSIBLE <= reworded.score < STRONG


def test_scores_rank_the_corpus():
    water = profile(WATER)
    scores = {
        name: compare(water, profile(content, proposal_id=2)).score
        for name, content in (
            ("retitled", WATER_RETITLED),
            ("phase two", WATER_PHASE_TWO),
            ("canteen", CANTEEN),
        )
    }
    assert scores["phase two"] >= STRONG and scores["retitled"] >= STRONG
    assert POSSIBLE <= scores["canteen"] < STRONG


def test_a_partner_of_nearly_the_same_name_counts_in_the_same_country_only():
    water = profile(WATER)
    renamed = profile(
        WATER,
        proposal_id=2,
        partner_id=8,
        partner_name="Association Ait Mansour pour le developpement",
    )
    assert "Partner of nearly the same name" in compare(water, renamed).reasons[2].detail
    abroad = replace(renamed, country="DZ")
    assert "partner" not in {r.field for r in compare(water, abroad).reasons}


def test_overlap_days():
    assert overlap_days(date(2027, 1, 1), date(2027, 12, 31), date(2027, 12, 1), None) == 0
    assert (
        overlap_days(date(2027, 1, 1), date(2027, 12, 31), date(2027, 12, 1), date(2028, 6, 1))
        == 30
    )
    assert overlap_days(date(2027, 1, 1), date(2027, 6, 1), date(2027, 7, 1), date(2028, 1, 1)) == 0


def test_a_candidate_ruled_out_without_comparing_names_could_not_have_scored():
    """``could_reach`` lets a check skip most candidates; it must never skip one that
    ``compare`` would have scored. Every mix of partner, place, period, title and text."""
    import random

    rng = random.Random(11)
    query = profile(WATER)
    titles = [WATER["title"], WATER_RETITLED["title"], CANTEEN["title"], "Autre chose"]
    contents = [WATER, WATER_RETITLED, WATER_PHASE_TWO, CANTEEN]
    ruled_out = 0
    for _ in range(2_000):
        other = profile(
            rng.choice(contents),
            proposal_id=2,
            title=rng.choice(titles),
            partner_id=rng.choice([7, 8, None]),
            partner_name=rng.choice([query.partner_name, "Association Ait Mansour", "Other", None]),
            country=rng.choice(["MA", "SN", None]),
            locality=rng.choice([query.locality, "Tiznit", None]),
            start_date=rng.choice([date(2027, 6, 1), date(2030, 1, 1), None]),
            end_date=date(2031, 1, 1),
        )
        text = None if rng.random() < 0.2 else rng.random()
        for threshold in (POSSIBLE, STRONG):
            if not could_reach(query, other, text, threshold):
                ruled_out += 1
                assert compare(query, other, text).score < threshold
    assert ruled_out > 500  # the bound rules out, not only lets through
