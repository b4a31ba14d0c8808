"""The candidates of a similar-request check and how they are found: proposals whose
text signature shares an LSH band key with the query's (an index lookup), and proposals
of the same partner or of the same association in the same country (another, where
different words may still describe the same work). Only submitted proposals are
candidates: a draft asks nobody for money yet.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.figures import requested_amount_column
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.fingerprint import band_keys, from_bytes
from fundflow.proposals.similarity.index import fingerprint_of
from fundflow.proposals.similarity.matching import Profile, overlap_days
from fundflow.proposals.similarity.models import (
    ProposalFingerprint,
    ProposalTextBand,
    SimilarityVerdict,
    Verdict,
)

CANDIDATES_PER_SOURCE = 500
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
    return _profile_of(proposal, partner_name=partner_name, signature=signature)


def stored_text_candidates(proposal_id: int) -> sa.Select[Any]:
    """The proposals sharing most band keys with the proposal's stored ones: the same
    lookup as ``text_candidates``, its keys read by the database from the proposal's own
    rows (kept in step with its text) rather than sent (an index lookup, then one probe of
    the key index per band)."""
    own = sa.orm.aliased(ProposalTextBand, name="own")
    other = sa.orm.aliased(ProposalTextBand, name="other")
    hits = sa.func.count()
    return (
        sa.select(col(other.proposal_id).label("id"))
        .select_from(own)
        .join(
            other,
            sa.and_(
                col(other.band) == col(own.band),
                col(other.bucket) == col(own.bucket),
                col(other.proposal_id) != col(own.proposal_id),
            ),
        )
        .where(col(own.proposal_id) == proposal_id)
        .group_by(col(other.proposal_id))
        .order_by(hits.desc(), col(other.proposal_id).desc())
        .limit(CANDIDATES_PER_SOURCE)
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


def _profile_columns() -> list[Any]:
    return [
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
    ]


def _profiles_of(select: sa.Select[Any]) -> sa.Select[Any]:
    """``select`` reading submitted proposals, joined to what their profiles need."""
    return (
        select.outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
        .outerjoin(ProposalFingerprint, col(ProposalFingerprint.proposal_id) == col(Proposal.id))
        .where(col(Proposal.submitted_at).is_not(None))
    )


def _profile(r: Any) -> Profile:
    return Profile(
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
    )


def query_and_candidates(session: Session, proposal: Proposal) -> tuple[Profile, list[Profile]]:
    """The proposal as the check sees it and what the comparison needs of each candidate
    both lookups find, in one statement: the lookups as its subqueries (the text lookup
    from the proposal's stored band keys), then a light row per submitted candidate and
    the proposal's own (the rest of a candidate is read for the best matches only,
    ``load_candidates``). A proposal whose stored fingerprint is not that of its text
    (never fingerprinted) is looked up from its signature computed here."""
    assert proposal.id is not None
    context = context_candidates(_bare_profile(proposal))
    lookups = [
        sa.select(found.c.id)
        for lookup in (stored_text_candidates(proposal.id), context)
        for found in [lookup.subquery()]
    ]
    # The proposal itself is one more id of the set (an OR beside the set would cost the
    # planner its index join).
    found_ids = sa.union(sa.select(sa.literal(proposal.id).label("id")), *lookups)
    rows = session.connection().execute(
        sa.select(*_profile_columns())
        .outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
        .outerjoin(ProposalFingerprint, col(ProposalFingerprint.proposal_id) == col(Proposal.id))
        .where(
            col(Proposal.id).in_(found_ids),
            sa.or_(col(Proposal.submitted_at).is_not(None), col(Proposal.id) == proposal.id),
        )
    )
    own, candidates = None, []
    for row in rows:
        if row[0] == proposal.id:
            own = row
        else:
            candidates.append(_profile(row))
    partner_name = own[4] if own is not None else None
    stored = own[9] if own is not None else None
    signature = from_bytes(stored) if stored is not None else fingerprint_of(proposal).signature
    query = _profile_of(proposal, partner_name=partner_name, signature=signature)
    if stored is None and signature is not None:
        # A text never fingerprinted: looked up again, from the signature computed here.
        return query, candidate_profiles(session, query)
    return query, candidates


def _bare_profile(proposal: Proposal) -> Profile:
    """What the context lookup reads of the proposal (its own columns)."""
    return _profile_of(proposal, partner_name=None, signature=None)


def _profile_of(proposal: Proposal, *, partner_name: str | None, signature: Any) -> Profile:
    assert proposal.id is not None
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


def candidate_profiles(session: Session, query: Profile) -> list[Profile]:
    """What the comparison needs of each candidate both lookups find, the text lookup from
    the query's signature, in one statement."""
    lookups = [
        sa.select(found.c.id)
        for lookup in (text_candidates(query), context_candidates(query))
        if lookup is not None
        for found in [lookup.subquery()]
    ]
    found_ids = sa.union(*lookups) if len(lookups) > 1 else lookups[0]
    statement = _profiles_of(sa.select(*_profile_columns())).where(col(Proposal.id).in_(found_ids))
    return [_profile(row) for row in session.connection().execute(statement)]


def load_candidates(
    session: Session, ids: Iterable[int], *, compared_with: int
) -> list[tuple[Candidate, SimilarityVerdict | None]]:
    """The candidates, with their call, project, what each requests and the secretariat's
    verdict on the pair each makes with ``compared_with``, in one statement."""
    ids = list(ids)
    if not ids:
        return []
    verdict = (
        col(SimilarityVerdict.id),
        col(SimilarityVerdict.proposal_id),
        col(SimilarityVerdict.other_proposal_id),
        col(SimilarityVerdict.verdict),
        col(SimilarityVerdict.comment),
        col(SimilarityVerdict.decided_by_id),
        col(SimilarityVerdict.decided_at),
    )
    # A verdict's pair is stored in id order, whichever of the two was screened.
    pair = sa.or_(
        sa.and_(
            col(SimilarityVerdict.proposal_id) == compared_with,
            col(SimilarityVerdict.other_proposal_id) == col(Proposal.id),
        ),
        sa.and_(
            col(SimilarityVerdict.proposal_id) == col(Proposal.id),
            col(SimilarityVerdict.other_proposal_id) == compared_with,
        ),
    )
    statement = (
        _profiles_of(
            sa.select(
                *_profile_columns(),
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
                requested_amount_column(),
                *verdict,
            )
            .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
            .join(Call, col(Call.id) == col(Proposal.call_id))
        )
        .outerjoin(Project, col(Project.proposal_id) == col(Proposal.id))
        .outerjoin(SimilarityVerdict, pair)
        .where(col(Proposal.id).in_(ids))
    )
    return [(_candidate(r), _verdict(r[22:])) for r in session.connection().execute(statement)]


def _verdict(row: Any) -> SimilarityVerdict | None:
    if row[0] is None:
        return None
    names = ("id", "proposal_id", "other_proposal_id", "verdict", "comment", "decided_by_id")
    found = SimilarityVerdict(**dict(zip(names, row[:6], strict=True)), decided_at=row[6])
    found.verdict = Verdict(found.verdict)
    return found


def _candidate(r: Any) -> Candidate:
    return Candidate(
        profile=_profile(r),
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
