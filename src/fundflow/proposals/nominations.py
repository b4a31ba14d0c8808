"""Nominations: proposals in an award round's call.

A nomination names its nominee (any organisation: an employer, a school, an association,
which need not be a member of the federation or hold an account) and one of the round's
categories. The nominee of a nomination by others is told by e-mail once it is submitted
and answers through a link whose secret only their mailbox holds: accepting changes
nothing, declining withdraws the nomination (the proposal's `decline_nomination`).
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call, CallKind
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import InvalidInput, not_found
from fundflow.core.messages import N_, Message
from fundflow.core.tokens import digest_of, new_opaque_token
from fundflow.organisations.models import Organisation
from fundflow.proposals.eligibility import Check, check
from fundflow.proposals.models import NomineeKind, NomineeResponse, Proposal, ProposalStatus
from fundflow.proposals.schemas import NominationIn

# The role of whoever holds a nominee's link: no account has it.
NOMINEE = "nominee"
# While a nomination is still before the jury, its nominee may answer.
ANSWERABLE = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.REVISION_REQUESTED,
    ProposalStatus.IN_REVIEW,
    ProposalStatus.DEFERRED,
)


def is_award(call: Call) -> bool:
    return call.kind == CallKind.AWARD


def apply_nomination(proposal: Proposal, given: NominationIn, organisation: Organisation) -> None:
    """Write a nomination's fields; refused outside an award round or for a category the
    round does not have."""
    call: Call = proposal.call
    if not is_award(call):
        raise _invalid("nomination", N_("Only an award round's call takes nominations."))
    codes = [category["code"] for category in call.categories]
    if given.category is not None and given.category not in codes:
        raise _invalid(
            "nomination.category",
            Message(
                N_("Not a category of this round: %(given)s (the round's are %(known)s)."),
                {"given": given.category, "known": ", ".join(codes) or "—"},
            ),
        )
    told = (proposal.self_nomination, proposal.nominee_name, proposal.nominee_email)
    proposal.category = given.category
    proposal.self_nomination = given.self_nomination
    if given.self_nomination:
        proposal.nominee_name = organisation.name
        proposal.nominee_kind = given.nominee_kind or NomineeKind.ASSOCIATION
        proposal.nominee_email = None
    else:
        proposal.nominee_name = given.nominee_name
        proposal.nominee_kind = given.nominee_kind
        proposal.nominee_email = given.nominee_email
    if told != (proposal.self_nomination, proposal.nominee_name, proposal.nominee_email):
        # Another nominee (a revision may name one): they are told at the next submission,
        # and the former one's link no longer answers for it.
        proposal.nominee_response = None
        proposal.nominee_notified_at = None
        proposal.nominee_responded_at = None
        proposal.nominee_token_digest = None


def _invalid(loc: str, message: str | Message) -> InvalidInput:
    return InvalidInput(message, [{"loc": ["body", *loc.split(".")], "message": message}])


def nomination_check(proposal: Proposal) -> Check:
    """The eligibility rule of an award round's nominations: whom, in which category."""
    call: Call = proposal.call
    missing = tuple(
        name
        for name, present in (
            (N_("category"), proposal.category or not call.categories),
            (N_("nominee_name"), proposal.nominee_name),
            (N_("nominee_kind"), proposal.nominee_kind),
            (N_("nominee_email"), proposal.self_nomination or proposal.nominee_email),
        )
        if not present
    )
    if missing:
        return check(
            "nomination", False, N_("The nomination still lacks: %(missing)s."), missing=missing
        )
    if proposal.self_nomination:
        return check("nomination", True, N_("A self-nomination."))
    return check(
        "nomination",
        True,
        N_("%(nominee)s is nominated; they will be told and may decline."),
        nominee=proposal.nominee_name,
    )


def await_nominee(proposal: Proposal) -> None:
    """At submission: a nominee other than the author is to be told (once)."""
    if proposal.nominee_response is None:
        proposal.nominee_response = (
            NomineeResponse.ACCEPTED if proposal.self_nomination else NomineeResponse.PENDING
        )


@dataclass(frozen=True)
class Notice:
    """A nominee to tell, with the link's secret (never stored)."""

    proposal: Proposal
    token: str


def issue_notices(session: Session) -> list[Notice]:
    """The nominees not yet told of a submitted nomination, each with a new link."""
    waiting = session.exec(
        select(Proposal).where(
            col(Proposal.nominee_response) == NomineeResponse.PENDING,
            col(Proposal.nominee_notified_at).is_(None),
            col(Proposal.status).in_(ANSWERABLE),
        )
    ).all()
    notices = []
    now = utcnow()
    for proposal in waiting:
        token = new_opaque_token()
        proposal.nominee_token_digest = digest_of(token)
        proposal.nominee_notified_at = now
        session.add(proposal)
        notices.append(Notice(proposal, token))
    session.flush()
    return notices


def forget_notices(session: Session, notices: list[Notice]) -> None:
    """Notices that did not leave: the next run tells those nominees again."""
    ids = [notice.proposal.id for notice in notices]
    if ids:
        session.execute(
            sa.update(Proposal)
            .where(col(Proposal.id).in_(ids))
            .values(nominee_notified_at=None, nominee_token_digest=None)
        )


def nomination_by_token(session: Session, token: str) -> Proposal:
    """The nomination a nominee's link is for; 404 for any other string."""
    proposal = session.exec(
        select(Proposal).where(col(Proposal.nominee_token_digest) == digest_of(token))
    ).first()
    if proposal is None:
        raise not_found("Nomination", "link")
    return proposal


def nominator_name(session: Session, proposal: Proposal) -> str:
    return (
        session.scalar(
            sa.select(col(Organisation.name)).where(
                col(Organisation.id) == proposal.organisation_id
            )
        )
        or ""
    )
