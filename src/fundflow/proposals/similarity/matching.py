"""How alike two proposals are, as a 0-100 score with the reasons behind it.

Pure: it compares two profiles. The text (title, summary, logframe) weighs most, since a
project asked for twice is described twice; the partner, the place and the period tell
whether similar words describe the same work on the ground. Weights, out of 100:

- text: 55 × the estimated Jaccard similarity of the distinctive words;
- title: 10 × the token-set similarity of the titles (rapidfuzz);
- partner: 15 for the same partner record, 12 for a partner of nearly the same name in
  the same country (another association may have registered the same partner);
- place: 10 for the same locality (spelling variants allowed) in the same country,
  3 for the same country only;
- period: 10 × the share of the shorter period that the two periods have in common.

A genuinely different project of the same association in the same village shares the
partner, the place and maybe the period (35 points) but not its words, so it stays below
``STRONG``; a resubmission under a new title keeps its words and crosses it.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from fundflow.proposals.similarity.fingerprint import fold, jaccard

STRONG = 65
POSSIBLE = 40
SIMILAR_NAME = 88


@dataclass(frozen=True)
class Profile:
    proposal_id: int
    organisation_id: int
    title: str
    partner_id: int | None
    partner_name: str | None
    country: str | None
    locality: str | None
    start_date: date | None
    end_date: date | None
    signature: np.ndarray | None


@dataclass(frozen=True)
class Reason:
    field: str
    detail: str


@dataclass(frozen=True)
class Similarity:
    score: int
    text_similarity: float | None
    reasons: list[Reason]

    @property
    def strength(self) -> str:
        return "strong" if self.score >= STRONG else "possible"


@lru_cache(maxsize=1 << 16)
def folded_name(name: str) -> str:
    """``fold`` of a title, partner or place: a check compares one proposal's names with
    hundreds of others', and the same names come back from check to check."""
    return fold(name)


def names_alike(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return fuzz.token_set_ratio(folded_name(a), folded_name(b)) >= SIMILAR_NAME


def overlap_days(
    start: date | None, end: date | None, other_start: date | None, other_end: date | None
) -> int:
    """Days two periods have in common; 0 when either is not known."""
    if start is None or end is None or other_start is None or other_end is None:
        return 0
    return max((min(end, other_end) - max(start, other_start)).days, 0)


def _shorter_days(a: Profile, b: Profile) -> int:
    assert a.start_date and a.end_date and b.start_date and b.end_date
    return max(min((a.end_date - a.start_date).days, (b.end_date - b.start_date).days), 1)


def could_reach(query: Profile, other: Profile, text: float | None, score: int) -> bool:
    """Whether ``compare`` could score ``other`` at least ``score``: the text's points and
    the most each other reason could add, without comparing names. A check weighs
    hundreds of candidates, most of them sharing a few words and nothing else."""
    if text is None and query.signature is not None and other.signature is not None:
        text = 1.0  # compare would estimate it: count it at its most
    points = 55 * (text or 0.0) + 10  # the title at most
    same_country = query.country is not None and query.country == other.country
    if query.partner_id is not None and query.partner_id == other.partner_id:
        points += 15
    elif query.country == other.country and query.partner_name and other.partner_name:
        points += 12
    if same_country:
        points += 10
    if overlap_days(query.start_date, query.end_date, other.start_date, other.end_date):
        points += 10
    return round(points) >= score


def compare(query: Profile, other: Profile, text: float | None = None) -> Similarity:
    """``text`` is the signatures' Jaccard estimate when already computed in bulk."""
    points = 0.0
    reasons: list[Reason] = []
    if text is None and query.signature is not None and other.signature is not None:
        text = float(jaccard(query.signature, other.signature[np.newaxis, :])[0])
    if text is not None:
        points += 55 * text
        if text >= 0.2:
            reasons.append(
                Reason(
                    "text",
                    f"{round(text * 100)} % of the distinctive words in title, "
                    "summary and logframe are shared.",
                )
            )
    title = fuzz.token_set_ratio(folded_name(query.title), folded_name(other.title)) / 100
    points += 10 * title
    if title >= 0.8:
        reasons.append(Reason("title", f"Titles {round(title * 100)} % alike: “{other.title}”."))
    if query.partner_id is not None and query.partner_id == other.partner_id:
        points += 15
        reasons.append(Reason("partner", f"Same partner: {other.partner_name}."))
    elif query.country == other.country and names_alike(query.partner_name, other.partner_name):
        points += 12
        reasons.append(Reason("partner", f"Partner of nearly the same name: {other.partner_name}."))
    if query.country is not None and query.country == other.country:
        if names_alike(query.locality, other.locality):
            points += 10
            reasons.append(Reason("locality", f"Same place: {other.locality} ({other.country})."))
        else:
            points += 3
            reasons.append(Reason("country", f"Same country: {other.country}."))
    days = overlap_days(query.start_date, query.end_date, other.start_date, other.end_date)
    if days:
        points += 10 * min(days / _shorter_days(query, other), 1.0)
        reasons.append(
            Reason(
                "period",
                f"Periods overlap by {days} days ({other.start_date} to {other.end_date}).",
            )
        )
    if query.organisation_id == other.organisation_id:
        reasons.append(Reason("organisation", "Same association."))
    return Similarity(round(points), text, reasons)
