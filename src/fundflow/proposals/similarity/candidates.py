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
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.figures import requested_amount_column
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.fingerprint import band_keys, from_bytes
from fundflow.proposals.similarity.index import fingerprint_of
from fundflow.proposals.similarity.matching import Profile, overlap_days
from fundflow.proposals.similarity.models import ProposalFingerprint, ProposalTextBand

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


def candidate_profiles(session: Session, query: Profile) -> list[Profile]:
    """What the comparison needs of each candidate both lookups find, in one statement:
    the lookups as its subqueries, then a light row per submitted candidate (the rest of a
    candidate is read for the best matches only, ``load_candidates``)."""
    lookups = [
        sa.select(found.c.id)
        for lookup in (text_candidates(query), context_candidates(query))
        if lookup is not None
        for found in [lookup.subquery()]
    ]
    found_ids = sa.union(*lookups) if len(lookups) > 1 else lookups[0]
    statement = _profiles_of(sa.select(*_profile_columns())).where(col(Proposal.id).in_(found_ids))
    return [_profile(row) for row in session.connection().execute(statement)]


def load_candidates(session: Session, ids: Iterable[int]) -> list[Candidate]:
    """The candidates, with their call, project and what each requests, in one statement."""
    ids = list(ids)
    if not ids:
        return []
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
            )
            .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
            .join(Call, col(Call.id) == col(Proposal.call_id))
        )
        .outerjoin(Project, col(Project.proposal_id) == col(Proposal.id))
        .where(col(Proposal.id).in_(ids))
    )
    return [
        Candidate(
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
        for r in session.connection().execute(statement)
    ]
