"""The call's allocation plan from the database, and applying it as proposed commitments."""

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.cofinancing.allocation import Need, Plan, PlanTooLarge, Pot, allocate
from fundflow.cofinancing.models import ACTIVE, Commitment
from fundflow.cofinancing.rules import Target, cap_for, eligibility_violations
from fundflow.cofinancing.schemas import (
    AllocationApplied,
    AllocationLine,
    AllocationPlan,
    CommitmentCreate,
    CommitmentPublic,
    FunderShare,
    UnfundedProject,
)
from fundflow.cofinancing.service import create_commitment
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import CENT, utcnow
from fundflow.core.errors import InvalidInput, RuleViolation
from fundflow.funders import rates
from fundflow.funders.models import Envelope
from fundflow.funders.service import envelopes_for_call
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.models import Proposal
from fundflow.reviews.ranking_service import ranking

CENTS = Decimal(100)


def _cents(amount: Decimal) -> int:
    return int(amount * CENTS)


def _plan(
    session: Session, call: Call
) -> tuple[Plan, dict[int, Envelope], dict[int, int], list[Envelope], rates.ToCurrency]:
    projects = session.exec(
        select(Project).where(
            Project.call_id == call.id, Project.status == ProjectStatus.CONTRACTING
        )
    ).all()
    ranks = {e.proposal_id: e.rank for e in ranking(session, call=call).entries}
    countries = dict(
        session.execute(
            sa.select(col(Proposal.id), col(Proposal.country)).where(
                col(Proposal.id).in_([p.proposal_id for p in projects])
            )
        ).all()
    )
    already: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    committed_to: dict[int, Decimal] = defaultdict(Decimal)
    for project_id, envelope_id, amount in session.execute(
        sa.select(
            col(Commitment.project_id),
            col(Commitment.envelope_id),
            sa.func.sum(col(Commitment.amount)),
        )
        .where(
            col(Commitment.project_id).in_([p.id for p in projects]),
            col(Commitment.status).in_(ACTIVE),
        )
        .group_by(col(Commitment.project_id), col(Commitment.envelope_id))
    ).all():
        already[(project_id, envelope_id)] = amount
        committed_to[project_id] += amount
    envelopes = {e.id or 0: e for e in envelopes_for_call(session, call) if e.committed < e.amount}
    to_call = rates.ToCurrency(session, call.currency, utcnow().date())
    left_out = [
        envelopes.pop(e.id or 0) for e in list(envelopes.values()) if not _rated(to_call, e)
    ]
    needs = []
    for project in projects:
        pid = project.id or 0
        remainder = project.granted_amount - sum(
            (v for (p, _), v in already.items() if p == pid), Decimal(0)
        )
        if remainder <= 0:
            continue
        target = Target(
            call_id=call.id or 0,
            call_kind=str(call.kind),
            call_year=call.year,
            country=countries.get(project.proposal_id),
            granted=project.granted_amount,
        )
        caps: dict[int, int] = {}
        refusals: dict[str, int] = defaultdict(int)
        if left_out:
            refusals["exchange_rate_missing"] += len(left_out)
        for envelope_id, envelope in envelopes.items():
            problems = eligibility_violations(envelope, target)
            for problem in problems:
                refusals[problem.rule] += 1
            if not problems:
                cap = cap_for(envelope, target, partial(_down, to_call, envelope.currency))
                room = min(cap - already[(pid, envelope_id)], remainder)
                if room > 0:
                    caps[envelope_id] = _cents(room)
        needs.append(
            Need(
                pid, ranks.get(project.proposal_id, 10**9), _cents(remainder), caps, dict(refusals)
            )
        )
    pots = [
        Pot(e.id or 0, e.funder_id, _cents(_down(to_call, e.currency, e.amount - e.committed)))
        for e in envelopes.values()
    ]
    try:
        plan = allocate(needs, pots)
    except PlanTooLarge as exc:
        raise InvalidInput(
            f"The call cannot be planned in one go: {exc}. Commit by hand, or plan after "
            "some projects are committed."
        ) from None
    return plan, envelopes, {n.project_id: n.rank for n in needs}, left_out, to_call


def _rated(to_call: rates.ToCurrency, envelope: Envelope) -> bool:
    """Whether the envelope's currency has a rate today (the plan leaves it out if not)."""
    try:
        to_call.rate_from(envelope.currency)
    except RuleViolation:
        return False
    return True


def _down(to_call: rates.ToCurrency, currency: str, amount: Decimal) -> Decimal:
    """An envelope's amount in the call's currency, rounded down to the cent: a plan within
    these bounds, converted back when committed (half to even), never asks an envelope for
    more than it holds."""
    return to_call.exactly(amount, currency).quantize(CENT, rounding=ROUND_DOWN)


def propose_plan(session: Session, *, call: Call) -> AllocationPlan:
    plan, envelopes, ranks, left_out, to_call = _plan(session, call)
    # Said beside every project left unfunded: a rate entered might fund it.
    note = (
        " Left out for lack of an exchange rate today: "
        + ", ".join(f"envelope {e.id} ({e.currency})" for e in left_out)
        + "."
        if left_out
        else ""
    )
    by_funder: dict[int, Decimal] = defaultdict(Decimal)
    available: dict[int, Decimal] = defaultdict(Decimal)
    for envelope in envelopes.values():
        left = envelope.amount - envelope.committed
        available[envelope.funder_id] += _down(to_call, envelope.currency, left)
    lines = []
    for (project_id, envelope_id), cents in plan.amounts.items():
        amount = Decimal(cents) / CENTS
        funder_id = envelopes[envelope_id].funder_id
        by_funder[funder_id] += amount
        lines.append(
            AllocationLine(
                project_id=project_id,
                envelope_id=envelope_id,
                funder_id=funder_id,
                amount=amount,
                rank=ranks.get(project_id, 0),
            )
        )
    return AllocationPlan(
        call_id=call.id or 0,
        funded=len(plan.funded),
        plan=lines,
        unfunded=[
            UnfundedProject(
                project_id=u.project_id, rank=u.rank, rule=u.rule, reason=u.reason + note
            )
            for u in plan.unfunded
        ],
        by_funder=[
            FunderShare(funder_id=f, amount=by_funder[f], available=available[f])
            for f in sorted(available)
            if by_funder[f] > 0
        ],
    )


def apply_plan(session: Session, *, actor: Actor, call: Call) -> AllocationApplied:
    proposal = propose_plan(session, call=call)
    created = []
    for line in proposal.plan:
        project = session.get(Project, line.project_id)
        assert project is not None
        created.append(
            CommitmentPublic.model_validate(
                create_commitment(
                    session,
                    actor=actor,
                    project=project,
                    data=CommitmentCreate(envelope_id=line.envelope_id, amount=line.amount),
                )
            )
        )
    return AllocationApplied(call_id=proposal.call_id, created=created, unfunded=proposal.unfunded)
