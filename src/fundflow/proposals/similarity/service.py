"""Finds the requests that look like a proposal: any call, any year, any association.

Candidates come from two index lookups, never a scan: proposals whose text signature
shares an LSH band key with this one, and proposals of the same partner or of the same
association in the same country (where different words may still describe the same
work). Only submitted proposals are candidates: a draft asks nobody for money yet.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, Forbidden, InvalidInput, not_found
from fundflow.core.transitions import record_event
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.eligibility import OTHER_FUNDER_SOURCES
from fundflow.proposals.figures import requested_amount_column
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.fingerprint import band_keys, from_bytes, jaccard
from fundflow.proposals.similarity.index import fingerprint_of
from fundflow.proposals.similarity.matching import (
    POSSIBLE,
    STRONG,
    Profile,
    Similarity,
    compare,
    overlap_days,
)
from fundflow.proposals.similarity.models import (
    ProposalFingerprint,
    ProposalTextBand,
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

CANDIDATES_PER_SOURCE = 500
MAX_MATCHES = 50
ENDED_PROJECT_STATES = frozenset({ProjectStatus.CLOSED, ProjectStatus.TERMINATED})


@dataclass(frozen=True)
class Candidate:
    profile: Profile
    organisation: str
    call_id: int
    call: str
    year: int
    currency: str
    status: ProposalStatus
    project_id: int | None
    project_status: ProjectStatus | None
    granted_amount: Decimal | None
    project_start: date | None
    project_end: date | None
    requested_amount: Decimal

    @property
    def active_grant(self) -> bool:
        return self.project_status is not None and self.project_status not in ENDED_PROJECT_STATES

    def grant_period_overlaps(self, start: date | None, end: date | None) -> bool:
        """The project's own dates once agreed, else those it was proposed with."""
        own_start = self.project_start or self.profile.start_date
        own_end = self.project_end or self.profile.end_date
        return overlap_days(start, end, own_start, own_end) > 0


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    similarity: Similarity
    requested_amount: Decimal
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
        requested_amount=match.requested_amount,
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


def profile_of(session: Session, proposal: Proposal) -> Profile:
    """The proposal as the check sees it. Its signature is the stored one, kept current on
    every edit (and the one its candidates were stored with); only a proposal never
    fingerprinted has it computed here."""
    assert proposal.id is not None
    row = (
        session.connection()
        .execute(
            sa.select(col(Partner.name), col(ProposalFingerprint.signature))
            .select_from(Proposal)
            .outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
            .outerjoin(
                ProposalFingerprint, col(ProposalFingerprint.proposal_id) == col(Proposal.id)
            )
            .where(col(Proposal.id) == proposal.id)
        )
        .one()
    )
    partner_name, stored = row
    signature = from_bytes(stored) if stored is not None else fingerprint_of(proposal).signature
    return Profile(
        proposal_id=proposal.id,
        organisation_id=proposal.organisation_id,
        title=proposal.title,
        partner_id=proposal.partner_id,
        partner_name=partner_name,
        country=proposal.country,
        locality=proposal.locality,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        signature=signature,
    )


def find_similar(session: Session, proposal: Proposal) -> list[Match]:
    """Matches scoring at least ``POSSIBLE``, best first; a fixed number of queries."""
    query = profile_of(session, proposal)
    candidates = _load(session, candidate_ids(session, query))
    if not candidates:
        return []
    texts: list[float | None] = [None] * len(candidates)
    if query.signature is not None:
        with_text = [i for i, c in enumerate(candidates) if c.profile.signature is not None]
        if with_text:
            matrix = np.stack([candidates[i].profile.signature for i in with_text])  # type: ignore[misc]
            for i, value in zip(with_text, jaccard(query.signature, matrix), strict=True):
                texts[i] = float(value)
    scored = [
        (candidate, similarity)
        for candidate, text in zip(candidates, texts, strict=True)
        if (similarity := compare(query, candidate.profile, text)).score >= POSSIBLE
    ]
    scored.sort(key=lambda pair: (-pair[1].score, -pair[0].profile.proposal_id))
    scored = scored[:MAX_MATCHES]
    if not scored:
        return []
    verdicts = _verdicts(session, query.proposal_id, [c.profile.proposal_id for c, _ in scored])
    return [
        Match(
            candidate=candidate,
            similarity=similarity,
            requested_amount=candidate.requested_amount,
            blocking=_blocks(proposal, candidate, similarity, verdict),
            declared_extension=candidate.project_id is not None
            and candidate.project_id == proposal.extends_project_id,
            verdict=verdict,
        )
        for candidate, similarity in scored
        for verdict in [verdicts.get(candidate.profile.proposal_id)]
    ]


def _verdicts(
    session: Session, proposal_id: int, others: list[int]
) -> dict[int, SimilarityVerdict]:
    """The verdicts on the pairs (proposal, other), keyed by the other's id."""
    rows = session.exec(
        select(SimilarityVerdict).where(
            sa.or_(
                sa.and_(
                    col(SimilarityVerdict.proposal_id) == proposal_id,
                    col(SimilarityVerdict.other_proposal_id).in_(others),
                ),
                sa.and_(
                    col(SimilarityVerdict.other_proposal_id) == proposal_id,
                    col(SimilarityVerdict.proposal_id).in_(others),
                ),
            )
        )
    ).all()
    return {v.other_proposal_id if v.proposal_id == proposal_id else v.proposal_id: v for v in rows}


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


def text_candidates(query: Profile) -> sa.Select[Any] | None:
    """The proposals sharing most MinHash bands with the query's text (an index lookup)."""
    if query.signature is None:
        return None
    hits = sa.func.count()
    keys = band_keys(query.signature)
    return (
        sa.select(col(ProposalTextBand.proposal_id).label("id"))
        .where(
            sa.tuple_(col(ProposalTextBand.band), col(ProposalTextBand.bucket)).in_(keys),
            col(ProposalTextBand.proposal_id) != query.proposal_id,
        )
        .group_by(col(ProposalTextBand.proposal_id))
        .order_by(hits.desc(), col(ProposalTextBand.proposal_id).desc())
        .limit(CANDIDATES_PER_SOURCE)
    )


def context_candidates(query: Profile) -> sa.Select[Any]:
    """The latest submitted proposals of the same association in the same country, or
    with the same partner (an index lookup)."""
    same_context = col(Proposal.organisation_id) == query.organisation_id
    if query.country is not None:
        same_context = sa.and_(same_context, col(Proposal.country) == query.country)
    if query.partner_id is not None:
        same_context = sa.or_(same_context, col(Proposal.partner_id) == query.partner_id)
    return (
        sa.select(col(Proposal.id).label("id"))
        .where(
            same_context,
            col(Proposal.id) != query.proposal_id,
            col(Proposal.submitted_at).is_not(None),
        )
        .order_by(col(Proposal.id).desc())
        .limit(CANDIDATES_PER_SOURCE)
    )


def candidate_ids(session: Session, query: Profile) -> set[int]:
    """The ids both lookups find (each on its own: one statement each, on the session's
    connection)."""
    found: set[int] = set()
    for lookup in (text_candidates(query), context_candidates(query)):
        if lookup is not None:
            found.update(session.connection().execute(lookup).scalars())
    return found


def _load(session: Session, ids: set[int]) -> list[Candidate]:
    """The candidates, with what each requests, in one statement."""
    if not ids:
        return []
    requested = requested_amount_column()
    rows = (
        session.connection()
        .execute(
            sa.select(
                col(Proposal.id),
                col(Proposal.organisation_id),
                col(Proposal.title),
                col(Proposal.partner_id),
                col(Partner.name),
                col(Proposal.country),
                col(Proposal.locality),
                col(Proposal.start_date),
                col(Proposal.end_date),
                col(ProposalFingerprint.signature),
                col(Organisation.name),
                col(Call.id),
                col(Call.title),
                col(Call.year),
                col(Call.currency),
                col(Proposal.status),
                col(Project.id),
                col(Project.status),
                col(Project.granted_amount),
                col(Project.start_date),
                col(Project.end_date),
                requested,
            )
            .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
            .join(Call, col(Call.id) == col(Proposal.call_id))
            .outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
            .outerjoin(
                ProposalFingerprint, col(ProposalFingerprint.proposal_id) == col(Proposal.id)
            )
            .outerjoin(Project, col(Project.proposal_id) == col(Proposal.id))
            .where(col(Proposal.id).in_(ids), col(Proposal.submitted_at).is_not(None))
        )
        .all()
    )
    return [
        Candidate(
            profile=Profile(
                proposal_id=r[0] or 0,  # a primary key: never NULL
                organisation_id=r[1],
                title=r[2],
                partner_id=r[3],
                partner_name=r[4],
                country=r[5],
                locality=r[6],
                start_date=r[7],
                end_date=r[8],
                signature=from_bytes(r[9]) if r[9] is not None else None,
            ),
            organisation=r[10],
            call_id=r[11],
            call=r[12],
            year=r[13],
            currency=r[14],
            status=r[15],
            project_id=r[16],
            project_status=r[17],
            granted_amount=r[18],
            project_start=r[19],
            project_end=r[20],
            requested_amount=r[21] or Decimal("0.00"),
        )
        for r in rows
    ]
