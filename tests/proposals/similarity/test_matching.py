"""The pure parts: which words count, and how a score is made of its reasons."""

from dataclasses import replace
from datetime import date

from fundflow.proposals.similarity.fingerprint import distinctive_words, fingerprint, jaccard
from fundflow.proposals.similarity.matching import POSSIBLE, STRONG, Profile, compare, overlap_days
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
