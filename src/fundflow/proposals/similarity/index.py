"""Keeps every proposal's fingerprint and band keys in step with its text."""

from collections.abc import Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.proposals.models import Proposal
from fundflow.proposals.similarity.fingerprint import Fingerprint, fingerprint
from fundflow.proposals.similarity.models import ProposalFingerprint, ProposalTextBand


def text_parts(proposal: Proposal) -> Iterable[str | None]:
    """Title, summary and logframe: the words that describe what the project does."""
    yield proposal.title
    yield proposal.summary
    yield proposal.logframe_goal
    for outcome in proposal.outcomes:
        yield outcome.statement
        for indicator in outcome.indicators:
            yield indicator.name
        for output in outcome.outputs:
            yield output.statement
            for indicator in output.indicators:
                yield indicator.name


def fingerprint_of(proposal: Proposal) -> Fingerprint:
    return fingerprint(text_parts(proposal))


def refresh_fingerprint(session: Session, proposal: Proposal) -> bool:
    """Store the proposal's fingerprint and band keys unless its words did not change;
    whether anything was stored."""
    return _refresh(session, [proposal]) == 1


def index_missing(session: Session, *, batch: int = 500) -> int:
    """Fingerprint the proposals that have none (after an upgrade); how many were done."""
    missing = col(Proposal.id).not_in(select(col(ProposalFingerprint.proposal_id)))
    return sum(_refresh(session, proposals) for proposals in _batches(session, missing, batch))


def reindex(session: Session, *, batch: int = 200) -> int:
    """Fingerprint again every proposal whose fingerprint is missing or was made from other
    words or by another method (see ``fingerprint.METHOD``); how many changed."""
    return sum(_refresh(session, proposals) for proposals in _batches(session, sa.true(), batch))


def _refresh(session: Session, proposals: Sequence[Proposal]) -> int:
    """Store the fingerprints whose digest changed, with their band keys; how many."""
    stored = {
        row.proposal_id: row
        for row in session.exec(
            select(ProposalFingerprint).where(
                col(ProposalFingerprint.proposal_id).in_([p.id for p in proposals])
            )
        )
    }
    changed: dict[int, Fingerprint] = {}
    for proposal in proposals:
        assert proposal.id is not None
        current = fingerprint_of(proposal)
        row = stored.get(proposal.id)
        if row is not None and row.digest == current.digest:
            continue
        row = row or ProposalFingerprint(proposal_id=proposal.id, digest="", words=0)
        row.digest, row.words = current.digest, current.words
        row.signature = current.signature_bytes()
        session.add(row)
        changed[proposal.id] = current
    if changed:
        session.execute(
            sa.delete(ProposalTextBand).where(col(ProposalTextBand.proposal_id).in_(changed))
        )
        bands = [
            {"band": band, "bucket": bucket, "proposal_id": proposal_id}
            for proposal_id, current in changed.items()
            for band, bucket in current.band_keys()
        ]
        if bands:
            session.execute(sa.insert(ProposalTextBand), bands)
    return len(changed)


def _batches(
    session: Session, condition: sa.ColumnElement[bool], size: int
) -> Iterator[Sequence[Proposal]]:
    """Proposals meeting ``condition`` in id order, committing after each batch."""
    last_id = 0
    while proposals := session.exec(
        select(Proposal)
        .where(condition, col(Proposal.id) > last_id)
        .order_by(col(Proposal.id))
        .limit(size)
    ).all():
        yield proposals
        last_id = proposals[-1].id or last_id
        session.commit()
        session.expunge_all()
