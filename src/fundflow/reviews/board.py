"""The assignment board of a call: its proposals in review with their reviewers, and each
commission member's load, declined reviews and conflicts of interest — what the secretariat
weighs before running or changing the assignment."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.models import Review, ReviewStatus
from fundflow.reviews.service import Member, commission_members, conflict_of_interest


@dataclass
class MemberLoad:
    member: Member
    assigned: int = 0
    submitted: int = 0
    declined: int = 0
    conflicts: list[Proposal] = field(default_factory=list)


@dataclass(frozen=True)
class BoardRow:
    proposal: Proposal
    reviews: list[Review]
    # Members who could still be assigned by hand (no review yet, no conflict).
    candidates: list[Member]


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    loads: list[MemberLoad]


def board(session: Session, *, call: Call) -> Board:
    proposals = session.exec(
        select(Proposal)
        .where(col(Proposal.call_id) == call.id, col(Proposal.status) == ProposalStatus.IN_REVIEW)
        .order_by(col(Proposal.submitted_at), col(Proposal.id))
    ).all()
    reviews = session.exec(
        select(Review)
        .where(col(Review.proposal_id).in_([p.id for p in proposals]))
        .order_by(col(Review.id))
    ).all()
    members = commission_members(session)
    loads = {m.id: MemberLoad(m) for m in members}
    by_proposal: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
        load = loads.get(review.reviewer_id)
        if load is None:  # a former member's review
            continue
        if review.status == ReviewStatus.ASSIGNED:
            load.assigned += 1
        elif review.status == ReviewStatus.SUBMITTED:
            load.submitted += 1
        else:
            load.declined += 1
    rows = []
    for proposal in proposals:
        taken = {r.reviewer_id for r in by_proposal[proposal.id or 0]}
        candidates = []
        for member in members:
            if conflict_of_interest(member, proposal) is not None:
                loads[member.id].conflicts.append(proposal)
            elif member.id not in taken:
                candidates.append(member)
        rows.append(BoardRow(proposal, by_proposal[proposal.id or 0], candidates))
    return Board(rows, list(loads.values()))
