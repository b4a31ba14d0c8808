"""Keeps every proposal's fingerprint and band keys in step with its text."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.proposals.models import Proposal
from fundflow.similarity.fingerprint import Fingerprint, fingerprint, to_bytes
from fundflow.similarity.models import ProposalFingerprint, ProposalTextBand


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
    assert proposal.id is not None
    current = fingerprint_of(proposal)
    stored = session.get(ProposalFingerprint, proposal.id)
    if stored is not None and stored.digest == current.digest:
        return False
    if stored is None:
        stored = ProposalFingerprint(proposal_id=proposal.id, digest="", words=0)
    stored.digest, stored.words = current.digest, current.words
    stored.signature = to_bytes(current.signature) if current.signature is not None else None
    session.add(stored)
    session.execute(
        sa.delete(ProposalTextBand).where(col(ProposalTextBand.proposal_id) == proposal.id)
    )
    _insert_bands(session, {proposal.id: current})
    return True


def _insert_bands(session: Session, fingerprints: dict[int, Fingerprint]) -> None:
    rows = [
        {"band": band, "bucket": bucket, "proposal_id": proposal_id}
        for proposal_id, print_ in fingerprints.items()
        for band, bucket in print_.band_keys()
    ]
    if rows:
        session.execute(sa.insert(ProposalTextBand), rows)


def index_missing(session: Session, *, batch: int = 500) -> int:
    """Fingerprint the proposals that have none (after an upgrade); how many were done."""
    done = 0
    while True:
        proposals = session.exec(
            select(Proposal)
            .where(col(Proposal.id).not_in(select(col(ProposalFingerprint.proposal_id))))
            .order_by(col(Proposal.id))
            .limit(batch)
        ).all()
        if not proposals:
            return done
        prints = {p.id: fingerprint_of(p) for p in proposals if p.id is not None}
        session.add_all(
            ProposalFingerprint(
                proposal_id=pid,
                digest=fp.digest,
                words=fp.words,
                signature=to_bytes(fp.signature) if fp.signature is not None else None,
            )
            for pid, fp in prints.items()
        )
        _insert_bands(session, prints)
        session.commit()
        done += len(prints)


def reindex(session: Session, *, batch: int = 200) -> int:
    """Fingerprint again every proposal whose fingerprint is missing or was made from other
    words or by another method (see ``fingerprint.METHOD``); how many changed."""
    changed, last_id = 0, 0
    while True:
        proposals = session.exec(
            select(Proposal)
            .where(col(Proposal.id) > last_id)
            .order_by(col(Proposal.id))
            .limit(batch)
        ).all()
        if not proposals:
            return changed
        changed += sum(refresh_fingerprint(session, proposal) for proposal in proposals)
        last_id = proposals[-1].id or last_id
        session.commit()
        session.expunge_all()
