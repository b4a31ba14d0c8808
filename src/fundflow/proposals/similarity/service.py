"""Finds the requests that look like a proposal: any call, any year, any association.

Candidates come from two index lookups, never a scan (``candidates``); each is compared
with the proposal (``matching``), and the secretariat's verdicts on pairs are kept here.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, Forbidden, InvalidInput, not_found
from fundflow.core.transitions import record_event
from fundflow.proposals.eligibility import OTHER_FUNDER_SOURCES
from fundflow.proposals.models import Proposal
from fundflow.proposals.similarity.candidates import (
    Candidate,
    load_candidates,
    query_and_candidates,
)
from fundflow.proposals.similarity.fingerprint import jaccard
from fundflow.proposals.similarity.matching import (
    POSSIBLE,
    STRONG,
    Similarity,
    compare,
    could_reach,
)
from fundflow.proposals.similarity.models import (
    SimilarityVerdict,
    Verdict,
)
from fundflow.proposals.similarity.policies import require_verdict_author, sees_every_association
from fundflow.proposals.similarity.schemas import (
    DeclaredFunding,
    SimilarityReason,
    SimilarRequest,
    SimilarRequests,
    VerdictIn,
    VerdictPublic,
)

MAX_MATCHES = 50


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    similarity: Similarity
    # An active grant of the same association over an overlapping period, not declared
    # as the project this proposal extends: public money would pay twice.
    blocking: bool
    declared_extension: bool
    verdict: SimilarityVerdict | None


def similar_requests(session: Session, *, actor: Actor, proposal: Proposal) -> SimilarRequests:
    if not sees_every_association(actor):
        raise Forbidden("Similar requests are screened by the secretariat and the commission.")
    return SimilarRequests(
        proposal_id=proposal.id,
        extends_project_id=proposal.extends_project_id,
        other_funding_requests_declared=proposal.other_funding_requests_declared,
        declared_other_funding=[
            DeclaredFunding.model_validate(line, from_attributes=True)
            for line in proposal.financing_lines
            if line.source in OTHER_FUNDER_SOURCES
        ],
        matches=[_to_public(m) for m in find_similar(session, proposal)],
    )


def _to_public(match: Match) -> SimilarRequest:
    c, p, s = match.candidate, match.candidate.profile, match.similarity
    return SimilarRequest(
        proposal_id=p.proposal_id,
        title=p.title,
        organisation_id=p.organisation_id,
        organisation=c.organisation,
        call_id=c.call_id,
        call=c.call,
        year=c.year,
        status=c.status,
        start_date=p.start_date,
        end_date=p.end_date,
        currency=c.currency,
        requested_amount=c.requested_amount,
        project_id=c.project_id,
        project_status=c.project_status,
        granted_amount=c.granted_amount,
        score=s.score,
        strength=s.strength,
        text_similarity=round(s.text_similarity, 2) if s.text_similarity is not None else None,
        reasons=[SimilarityReason(field=r.field, detail=r.detail) for r in s.reasons],
        blocking=match.blocking,
        declared_extension=match.declared_extension,
        verdict=VerdictPublic.model_validate(match.verdict) if match.verdict else None,
    )


def find_similar(session: Session, proposal: Proposal) -> list[Match]:
    """Matches scoring at least ``POSSIBLE``, best first; a fixed number of queries."""
    query, profiles = query_and_candidates(session, proposal)
    if not profiles:
        return []
    texts: list[float | None] = [None] * len(profiles)
    if query.signature is not None:
        with_text = [i for i, p in enumerate(profiles) if p.signature is not None]
        if with_text:
            matrix = np.stack([profiles[i].signature for i in with_text])  # type: ignore[misc]
            for i, value in zip(with_text, jaccard(query.signature, matrix), strict=True):
                texts[i] = float(value)
    scored = [
        (profile, similarity)
        for profile, text in zip(profiles, texts, strict=True)
        if could_reach(query, profile, text, POSSIBLE)
        and (similarity := compare(query, profile, text)).score >= POSSIBLE
    ]
    scored.sort(key=lambda pair: (-pair[1].score, -pair[0].proposal_id))
    scored = scored[:MAX_MATCHES]
    if not scored:
        return []
    ids = [profile.proposal_id for profile, _ in scored]
    loaded = load_candidates(session, ids, compared_with=query.proposal_id)
    candidates = {c.profile.proposal_id: c for c, _ in loaded}
    verdicts = {c.profile.proposal_id: v for c, v in loaded if v is not None}
    return [
        Match(
            candidate=candidate,
            similarity=similarity,
            blocking=_blocks(proposal, candidate, similarity, verdict),
            declared_extension=candidate.project_id is not None
            and candidate.project_id == proposal.extends_project_id,
            verdict=verdict,
        )
        for profile, similarity in scored
        # A proposal gone from the candidates since the first statement is left out.
        if (candidate := candidates.get(profile.proposal_id)) is not None
        for verdict in [verdicts.get(profile.proposal_id)]
    ]


def record_verdict(
    session: Session, *, actor: Actor, proposal: Proposal, other_id: int, data: VerdictIn
) -> SimilarityVerdict:
    """Set or replace the secretariat's verdict on the pair; recorded in the audit trail.

    The other proposal may still be a draft: a draft blocked by the double-funding rule is
    what an association brings to the secretariat when the match is wrong."""
    require_verdict_author(actor)
    assert proposal.id is not None
    if other_id == proposal.id:
        raise InvalidInput(
            "A proposal is not compared with itself.",
            [{"loc": ["path", "other_proposal_id"], "message": "Name another proposal."}],
        )
    other = session.get(Proposal, other_id)
    if other is None:
        raise not_found("Proposal", other_id)
    low, high = sorted((proposal.id, other_id))
    verdict = session.exec(
        select(SimilarityVerdict).where(
            col(SimilarityVerdict.proposal_id) == low,
            col(SimilarityVerdict.other_proposal_id) == high,
        )
    ).first() or SimilarityVerdict(
        proposal_id=low, other_proposal_id=high, verdict=data.verdict, comment=data.comment
    )
    verdict.verdict, verdict.comment = data.verdict, data.comment
    verdict.decided_by_id, verdict.decided_at = actor.id, utcnow()
    try:
        with session.begin_nested():
            session.add(verdict)
    except IntegrityError:
        raise Conflict(
            "Another verdict on this pair was recorded at the same moment; reload and retry."
        ) from None
    record_event(
        session,
        entity_type="proposal",
        entity_id=proposal.id,
        action="similarity_verdict",
        actor=actor,
        data={"other_proposal_id": other_id, "verdict": data.verdict.value},
        comment=data.comment,
    )
    return verdict


def _blocks(
    proposal: Proposal,
    candidate: Candidate,
    similarity: Similarity,
    verdict: SimilarityVerdict | None,
) -> bool:
    return (
        similarity.score >= STRONG
        and (verdict is None or verdict.verdict != Verdict.DIFFERENT_PROJECT)
        and candidate.profile.organisation_id == proposal.organisation_id
        and candidate.active_grant
        and candidate.project_id != proposal.extends_project_id
        and candidate.grant_period_overlaps(proposal.start_date, proposal.end_date)
    )
