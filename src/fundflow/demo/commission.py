"""The demo commission's work: profiles, assignments, reviews, a session, a decision, and
the approved project's co-financing."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from fundflow.accounts.models import User
from fundflow.accounts.service import actor_of
from fundflow.calls.models import Call
from fundflow.cofinancing.schemas import CommitmentCreate
from fundflow.cofinancing.service import create_commitment
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.actor import Actor
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.decisions.schemas import SessionCreate
from fundflow.decisions.sessions import create_session
from fundflow.demo.people import COMMISSION_PROFILES, COMMITMENTS, DECISION, REVIEW_SHEETS, SESSION
from fundflow.funders.models import Envelope, Funder
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.proposals.models import Proposal
from fundflow.reviews import policies as review_policies
from fundflow.reviews.commission import set_profile
from fundflow.reviews.schemas import CommissionProfileIn, ReviewUpdate
from fundflow.reviews.service import assign_for_call, save_scores
from fundflow.reviews.workflow import REVIEW_MACHINE


def load_commission(
    session: Session, *, users: dict[str, User], call: Call, proposals: list[Proposal]
) -> None:
    secretariat = actor_of(users["secretariat@fedevaco.example"])
    for email, profile in COMMISSION_PROFILES.items():
        set_profile(
            session,
            actor=secretariat,
            user_id=users[email].id or 0,
            data=CommissionProfileIn.model_validate(profile),
        )
    reviews, _ = assign_for_call(session, actor=secretariat, call=call, per_proposal=2)
    codes = [criterion.code for criterion in call.criteria]
    by_id = {proposal.id: proposal for proposal in proposals}
    seen: dict[int, int] = {}
    for review in reviews:
        proposal = by_id[review.proposal_id]
        position = seen.get(review.proposal_id, 0)
        seen[review.proposal_id] = position + 1
        sheet = REVIEW_SHEETS.get(proposal.title, [None, None])[position]
        if sheet is None:
            continue
        reviewer = actor_of(next(u for u in users.values() if u.id == review.reviewer_id))
        save_scores(
            session,
            actor=reviewer,
            review=review,
            data=ReviewUpdate.model_validate(
                {
                    "recommendation": "approve",
                    "scores": [
                        {"criterion": code, "score": value, "not_applicable": value is None}
                        for code, value in zip(codes, sheet, strict=True)
                    ],
                }
            ),
        )
        perform_transition(
            session,
            machine=REVIEW_MACHINE,
            entity=review,
            actor=reviewer,
            acting_roles=review_policies.acting_roles(reviewer, review),
            action="submit",
        )
    meeting = create_session(
        session,
        actor=secretariat,
        data=SessionCreate(
            held_on=date.fromisoformat(SESSION["held_on"]),
            title=SESSION["title"],
            location=SESSION["location"],
            call_id=call.id,
            members_present=[
                users["commission@fedevaco.example"].id or 0,
                users["commission2@fedevaco.example"].id or 0,
            ],
        ),
    )
    decided = next(p for p in proposals if p.title == DECISION["title"])
    _decide_and_commit(session, secretariat, decided, meeting.id or 0, call)


def _decide_and_commit(
    session: Session, secretariat: Actor, decided: Proposal, session_id: int, call: Call
) -> None:
    perform_transition(
        session,
        machine=PROPOSAL_MACHINE,
        entity=decided,
        actor=secretariat,
        acting_roles={Role.SECRETARIAT},
        action="decide",
        payload={
            "outcome": DECISION["outcome"],
            "granted_amount": DECISION["granted_amount"],
            "rationale": DECISION["rationale"],
            "session_id": session_id,
        },
    )
    project = decided.project
    assert project is not None
    for funder_name, amount, confirmed in COMMITMENTS:
        envelope = session.exec(
            select(Envelope)
            .join(Funder, col(Funder.id) == col(Envelope.funder_id))
            .where(Funder.name == funder_name, Envelope.year == call.year)
        ).one()
        commitment = create_commitment(
            session,
            actor=secretariat,
            project=project,
            data=CommitmentCreate(envelope_id=envelope.id or 0, amount=Decimal(amount)),
        )
        if confirmed:
            perform_transition(
                session,
                machine=COMMITMENT_MACHINE,
                entity=commitment,
                actor=secretariat,
                acting_roles={Role.SECRETARIAT},
                action="confirm",
            )
