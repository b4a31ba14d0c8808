"""Hand-computed scores: weighted means, n/a exclusion, thresholds, dispersion, calibration."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from fundflow.reviews.aggregation import (
    CriterionSpec,
    CriterionStats,
    ScoredItem,
    aggregate,
    calibrate,
)
from fundflow.reviews.ranking import FundingStatus, RankingEntry, draw_budget_line, rank

RELEVANCE = CriterionSpec("relevance", D(2), D(5), threshold=D("2.5"))
FEASIBILITY = CriterionSpec("feasibility", D(1), D(5))
AWARENESS = CriterionSpec("awareness", D(1), D(5), optional=True)


def score(criteria, scores_by_code, reviews=2, overall="60", dispersion="2"):  # type: ignore[no-untyped-def]
    stats = {code: CriterionStats.of(scores) for code, scores in scores_by_code.items()}
    return aggregate(
        criteria,
        stats,
        reviews_submitted=reviews,
        overall_threshold=D(overall),
        dispersion_limit=D(dispersion),
    )


def test_weighted_mean_normalised_to_100():
    # relevance (4 + 4.5) / 2 = 4.25; feasibility (3 + 2) / 2 = 2.5
    # (2 × 4.25/5 + 1 × 2.5/5) / 3 × 100 = (1.7 + 0.5) / 3 × 100 = 73.333… → 73.33
    result = score(
        [RELEVANCE, FEASIBILITY], {"relevance": [D(4), D("4.5")], "feasibility": [D(3), D(2)]}
    )
    assert result.score == D("73.33")
    assert [(c.criterion, c.mean, c.passed) for c in result.criteria] == [
        ("relevance", D("4.25"), True),
        ("feasibility", D("2.50"), True),
    ]
    assert result.passes_thresholds and not result.dispersion_flag


def test_not_applicable_is_excluded_never_zero():
    # awareness: n/a and 4 → mean 4 (not 2); (2 × 4/5 + 1 × 4/5) / 3 × 100 = 80
    result = score([RELEVANCE, AWARENESS], {"relevance": [D(3), D(5)], "awareness": [None, D(4)]})
    assert result.mean_of("awareness") == D("4.00") and result.score == D("80.00")
    # All reviewers found it not applicable: left out of the score, which is relevance alone.
    all_na = score([RELEVANCE, AWARENESS], {"relevance": [D(3), D(5)], "awareness": [None, None]})
    assert all_na.mean_of("awareness") is None and all_na.score == D("80.00")
    assert all_na.passes_thresholds


def test_a_criterion_below_its_threshold_fails_the_proposal():
    # relevance (w1) mean 2.25 < 2.5; feasibility (w3) 5 → (0.45 + 3) / 4 = 86.25
    criteria = [
        CriterionSpec("relevance", D(1), D(5), threshold=D("2.5")),
        CriterionSpec("feasibility", D(3), D(5)),
    ]
    result = score(criteria, {"relevance": [D(2), D("2.5")], "feasibility": [D(5), D(5)]})
    assert result.score == D("86.25")
    assert result.criteria[0].passed is False and result.passes_thresholds is False


def test_overall_threshold_is_inclusive_on_the_shown_score():
    only = [CriterionSpec("relevance", D(1), D(5))]
    assert score(only, {"relevance": [D(3), D(3)]}).score == D("60.00")
    assert score(only, {"relevance": [D(3), D(3)]}).passes_thresholds
    # (3 + 2.5 + 3.5 + 2.5 + 3 + 3) / 6 = 2.9166… → 58.33 < 60
    below = score(only, {"relevance": [D(3), D("2.5"), D("3.5"), D("2.5"), D(3), D(3)]}, 6)
    assert below.score == D("58.33") and not below.passes_thresholds


def test_dispersion_flag_when_reviewers_differ_by_more_than_the_limit():
    flagged = score([FEASIBILITY], {"feasibility": [D(1), D("3.5")]})
    assert flagged.dispersion_flag and flagged.criteria[0].spread == D("2.5")
    at_limit = score([FEASIBILITY], {"feasibility": [D(1), D(3)]})
    assert not at_limit.dispersion_flag


def test_no_submitted_review_means_no_score_and_no_pass():
    result = score([RELEVANCE, AWARENESS], {}, reviews=0)
    assert result.score is None and not result.passes_thresholds
    assert [c.passed for c in result.criteria] == [False, False]


def test_a_required_criterion_nobody_scored_fails():
    result = score([RELEVANCE, FEASIBILITY], {"relevance": [D(5)]}, reviews=1)
    assert result.score == D("100.00") and not result.passes_thresholds


def test_calibration_shows_harsh_and_lenient_reviewers():
    # One criterion out of 10. Reviewer 1 gives A 2, B 4 (20, 40 %);
    # reviewer 2 gives A 6, B 8 (60, 80 %). Commission: mean 50, sd √500 = 22.36.
    # Reviewer 1: mean 30, sd 10, offset -20, z = -0.89 → harsh; reviewer 2 lenient.
    # Rescaled: A = 50 - 22.36 = 27.64 for both; B = 72.36.
    criteria = [CriterionSpec("c", D(1), D(10))]
    items = [
        ScoredItem(1, 100, "c", D(2)),
        ScoredItem(1, 200, "c", D(4)),
        ScoredItem(2, 100, "c", D(6)),
        ScoredItem(2, 200, "c", D(8)),
    ]
    result = calibrate(criteria, items)
    assert (result.commission_mean, result.commission_spread) == (D("50.00"), D("22.36"))
    assert [(r.reviewer_id, r.mean, r.spread, r.offset, r.tendency) for r in result.reviewers] == [
        (1, D("30.00"), D("10.00"), D("-20.00"), "harsh"),
        (2, D("70.00"), D("10.00"), D("20.00"), "lenient"),
    ]
    assert [(p.proposal_id, p.score, p.calibrated_score) for p in result.proposals] == [
        (100, D("40.00"), D("27.64")),
        (200, D("60.00"), D("72.36")),
    ]


def test_calibration_of_a_single_score_only_shifts_it():
    # Reviewer 3 scored once (9/10 = 90 %); commission of three scores 50, 70, 90: mean 70.
    # Offset +20: shifted back to 70. Reviewer 1 (50, 70): sd 10 vs commission sd 16.33.
    criteria = [CriterionSpec("c", D(1), D(10))]
    items = [ScoredItem(1, 1, "c", D(5)), ScoredItem(1, 2, "c", D(7)), ScoredItem(3, 3, "c", D(9))]
    result = calibrate(criteria, items)
    third = next(p for p in result.proposals if p.proposal_id == 3)
    assert third.score == D("90.00") and third.calibrated_score == D("70.00")
    assert third.delta == D("-20.00")
    assert calibrate(criteria, []).reviewers == []


def entry(pid, score_value, means, submitted_minutes, requested="10000.00", passes=True):  # type: ignore[no-untyped-def]
    stats = {code: CriterionStats.of([D(m)]) for code, m in means.items()}
    result = aggregate(
        [RELEVANCE, FEASIBILITY],
        stats,
        reviews_submitted=1,
        overall_threshold=D(0),
        dispersion_limit=D(5),
    )
    result = type(result)(
        score=D(score_value) if score_value else None,
        passes_thresholds=passes,
        reviews_submitted=1,
        dispersion_flag=False,
        criteria=result.criteria,
    )
    return RankingEntry(
        pid,
        f"P{pid}",
        1,
        D(requested),
        datetime(2027, 1, 1, tzinfo=UTC) + timedelta(minutes=submitted_minutes),
        result,
    )


def test_ties_are_broken_by_criteria_in_order_then_submission_time():
    entries = [
        entry(1, "70.00", {"relevance": "3", "feasibility": "5"}, 0),
        entry(2, "70.00", {"relevance": "4", "feasibility": "2"}, 5),  # better relevance
        entry(3, "70.00", {"relevance": "4", "feasibility": "2"}, 1),  # same, submitted earlier
        entry(4, "80.00", {"relevance": "1", "feasibility": "1"}, 9),
        entry(5, None, {}, 0, passes=False),
    ]
    ranked = rank(entries)
    assert [(e.proposal_id, e.rank) for e in ranked] == [(4, 1), (3, 2), (2, 3), (1, 4), (5, 5)]


def test_budget_line_marks_fundable_reserve_and_below_threshold():
    ranked = rank(
        [
            entry(1, "90", {"relevance": "5"}, 0, requested="40000.00"),
            entry(2, "85", {"relevance": "5"}, 0, requested="30000.00"),
            entry(3, "80", {"relevance": "4"}, 0, requested="50000.00", passes=False),
            entry(4, "75", {"relevance": "4"}, 0, requested="20000.00"),
            entry(5, "70", {"relevance": "4"}, 0, requested="5000.00"),
        ]
    )
    lined = draw_budget_line(ranked, D("90000.00"))
    assert [(e.proposal_id, e.cumulative_requested, e.funding_status) for e in lined] == [
        (1, D("40000.00"), FundingStatus.FUNDABLE),
        (2, D("70000.00"), FundingStatus.FUNDABLE),
        (3, None, FundingStatus.BELOW_THRESHOLD),
        (4, D("90000.00"), FundingStatus.FUNDABLE),  # exactly at the line still fits
        (5, D("95000.00"), FundingStatus.RESERVE),
    ]
