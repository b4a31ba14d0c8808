"""Proposals: drafting, nested budget, financing plan and logframe, eligibility."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.calls.service import get_call, takes_drafts
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    Violation,
)
from fundflow.core.messages import N_, Message, Translate
from fundflow.core.pagination import PageParams
from fundflow.core.queries import get_visible
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version
from fundflow.organisations.models import Organisation, Partner
from fundflow.organisations.service import get_partner
from fundflow.projects.models import Project
from fundflow.proposals import nominations, policies, read_model
from fundflow.proposals.eligibility import Check, check_eligibility
from fundflow.proposals.models import (
    BudgetLine,
    FinancingLine,
    Indicator,
    Outcome,
    Output,
    Proposal,
    ProposalStatus,
)
from fundflow.proposals.read_model import ANY_PROPOSAL, ProposalFilters
from fundflow.proposals.schemas import (
    SCALAR_FIELDS,
    Eligibility,
    EligibilityCheck,
    EligibilityWarning,
    IndicatorIn,
    LogframeIn,
    ProposalContent,
    ProposalCreate,
    ProposalPublic,
    ProposalUpdate,
)
from fundflow.proposals.similarity.index import refresh_fingerprint
from fundflow.proposals.similarity.screening import double_funding_check, similarity_warnings
from fundflow.proposals.similarity.service import Match, find_similar


def _invalid(loc: str, message: str | Message) -> InvalidInput:
    return InvalidInput(message, [{"loc": ["body", *loc.split(".")], "message": message}])


def create_proposal(session: Session, *, actor: Actor, data: ProposalCreate) -> Proposal:
    organisation_id = policies.author_organisation(actor, data.organisation_id)
    call = get_call(session, actor=actor, call_id=data.call_id)
    if not takes_drafts(call):
        raise RuleViolation.of(
            N_("The call does not take proposals."),
            [
                Violation(
                    "call_takes_drafts",
                    Message(
                        N_("The call is `%(state)s`; proposals go to open calls."),
                        {"state": str(call.status)},
                    ),
                )
            ],
        )
    assert call.id is not None
    proposal = Proposal(
        call_id=call.id,
        organisation_id=organisation_id,
        title=data.title,
        created_by_id=actor.id,
    )
    proposal.call = call
    session.add(proposal)
    _apply_content(session, actor=actor, proposal=proposal, data=data)
    session.flush()
    assert proposal.id is not None
    record_event(
        session, entity_type="proposal", entity_id=proposal.id, action="create", actor=actor
    )
    return proposal


def update_proposal(
    session: Session, *, actor: Actor, proposal: Proposal, data: ProposalUpdate
) -> Proposal:
    refusal = policies.edit_refusal(actor, proposal)
    if refusal is not None:
        raise (
            Forbidden(refusal)
            if not policies.is_own_organisation(actor, proposal)
            else Conflict(refusal)
        )
    check_version(proposal, data.version, "proposal")
    _apply_content(session, actor=actor, proposal=proposal, data=data)
    bump_version(session, proposal, "proposal", updated_at=utcnow())
    assert proposal.id is not None
    record_event(
        session,
        entity_type="proposal",
        entity_id=proposal.id,
        action="update",
        actor=actor,
        data={"fields": sorted(data.model_dump(exclude_unset=True))},
    )
    return proposal


def _apply_content(
    session: Session, *, actor: Actor, proposal: Proposal, data: ProposalContent
) -> None:
    given = data.model_fields_set
    # References are checked before any field is set: a query would flush a dangling one.
    if "partner_id" in given and data.partner_id is not None:
        try:
            get_partner(session, actor=actor, partner_id=data.partner_id)
        except NotFound:
            raise _invalid(
                "partner_id",
                Message(N_("Partner %(id)s is not one of yours."), {"id": data.partner_id}),
            ) from None
    if "extends_project_id" in given and data.extends_project_id is not None:
        project = session.get(Project, data.extends_project_id)
        if project is None or project.organisation_id != proposal.organisation_id:
            raise _invalid(
                "extends_project_id",
                Message(
                    N_("Project %(id)s is not one of your association's."),
                    {"id": data.extends_project_id},
                ),
            )
    for name in SCALAR_FIELDS:
        if name in given:
            setattr(proposal, name, getattr(data, name))
    if proposal.start_date and proposal.end_date and proposal.end_date <= proposal.start_date:
        raise _invalid("end_date", N_("end_date must be after start_date"))
    if data.priorities is not None:
        by_code = {p.code: p for p in proposal.call.priorities}
        unknown = [code for code in data.priorities if code not in by_code]
        if unknown:
            raise _invalid(
                "priorities",
                Message(
                    N_("Not priorities of this call: %(unknown)s (the call's are %(known)s)."),
                    {"unknown": ", ".join(unknown), "known": ", ".join(by_code) or "—"},
                ),
            )
        proposal.priorities = [by_code[code] for code in dict.fromkeys(data.priorities)]
    if data.nomination is not None:
        organisation = session.get(Organisation, proposal.organisation_id)
        assert organisation is not None
        nominations.apply_nomination(proposal, data.nomination, organisation)
    if data.budget_lines is not None:
        proposal.budget_lines = [
            BudgetLine(position=i, **line.model_dump()) for i, line in enumerate(data.budget_lines)
        ]
    if data.financing_lines is not None:
        proposal.financing_lines = [
            FinancingLine(position=i, **line.model_dump())
            for i, line in enumerate(data.financing_lines)
        ]
    session.add(proposal)
    if data.logframe is not None:
        session.flush()
        _replace_logframe(session, proposal, data.logframe)
    session.flush()
    refresh_fingerprint(session, proposal)


def _replace_logframe(session: Session, proposal: Proposal, logframe: LogframeIn) -> None:
    """Rebuild outcomes and outputs; indicators sent with their id keep it."""
    pid = proposal.id
    assert pid is not None
    kept_ids = set(session.scalars(select(Indicator.id).where(Indicator.proposal_id == pid)))
    wanted = [
        ind.id
        for outcome in logframe.outcomes
        for ind in [*outcome.indicators, *(i for o in outcome.outputs for i in o.indicators)]
        if ind.id is not None
    ]
    foreign = sorted(set(wanted) - kept_ids)
    if foreign or len(wanted) != len(set(wanted)):
        raise _invalid("logframe", f"Unknown or repeated indicator ids: {foreign or wanted}.")
    session.execute(sa.delete(Indicator).where(Indicator.proposal_id == pid))  # type: ignore[arg-type]
    outcome_ids = select(Outcome.id).where(Outcome.proposal_id == pid)
    session.execute(sa.delete(Output).where(Output.outcome_id.in_(outcome_ids)))  # type: ignore[attr-defined]
    session.execute(sa.delete(Outcome).where(Outcome.proposal_id == pid))  # type: ignore[arg-type]
    proposal.logframe_goal = logframe.goal

    def indicators(items: list[IndicatorIn], outcome_id: int, output_id: int | None) -> None:
        for position, item in enumerate(items):
            session.add(
                Indicator(
                    proposal_id=pid,
                    outcome_id=outcome_id,
                    output_id=output_id,
                    position=position,
                    **item.model_dump(),
                )
            )

    for position, item in enumerate(logframe.outcomes):
        outcome = Outcome(proposal_id=pid, position=position, statement=item.statement)
        session.add(outcome)
        session.flush()
        assert outcome.id is not None
        indicators(item.indicators, outcome.id, None)
        for out_position, out_item in enumerate(item.outputs):
            output = Output(
                outcome_id=outcome.id, position=out_position, statement=out_item.statement
            )
            session.add(output)
            session.flush()
            indicators(out_item.indicators, outcome.id, output.id)
    session.flush()
    session.expire(proposal, ["outcomes"])


def get_proposal(session: Session, *, actor: Actor, proposal_id: int) -> Proposal:
    return get_visible(
        session, Proposal, proposal_id, policies.proposal_visibility(actor), "Proposal"
    )


def eligibility_checks(
    session: Session, proposal: Proposal, matches: list[Match] | None = None
) -> list[Check]:
    """The call's rules, then the rule against funding the same work twice."""
    organisation = session.get(Organisation, proposal.organisation_id)
    assert organisation is not None
    partner = session.get(Partner, proposal.partner_id) if proposal.partner_id else None
    call: Call = proposal.call
    if matches is None:
        matches = find_similar(session, proposal)
    return [
        *check_eligibility(
            proposal, call=call, organisation=organisation, partner=partner, now=utcnow()
        ),
        double_funding_check(matches, proposal.extends_project_id),
        *((nominations.nomination_check(proposal),) if nominations.is_award(call) else ()),
    ]


def eligibility(
    session: Session, *, actor: Actor, proposal: Proposal, translate: Translate = str
) -> Eligibility:
    """Every rule, explained in the reader's language (``translate``: a catalogue's)."""
    matches = find_similar(session, proposal)
    checks = eligibility_checks(session, proposal, matches)
    return Eligibility(
        eligible=all(c.passed for c in checks),
        checks=[
            EligibilityCheck(
                rule=c.rule, passed=c.passed, message=c.explanation.in_language(translate)
            )
            for c in checks
        ],
        warnings=[
            EligibilityWarning(rule=w.rule, proposal_id=w.proposal_id, message=w.message)
            for w in similarity_warnings(matches, actor, proposal.organisation_id)
        ],
    )


def to_public(session: Session, proposal: Proposal) -> ProposalPublic:
    """The proposal as the API shows it after a change (the read model, with the change)."""
    assert proposal.id is not None
    return read_model.read_one(session, proposal.id)


def read_proposal(session: Session, *, actor: Actor, proposal_id: int) -> ProposalPublic:
    return read_model.read_one(session, proposal_id, actor)


def read_proposal_rendered(session: Session, *, actor: Actor, proposal_id: int) -> bytes:
    """``read_proposal`` as its JSON document, the one rendered before while it holds."""
    return read_model.read_one_rendered(session, proposal_id, actor)


def proposals_in_state(
    session: Session, *, actor: Actor, status: ProposalStatus, limit: int
) -> list[Proposal]:
    """The proposals in ``status`` the caller sees, oldest first, as entities (for work
    that needs each one's rules, such as screening)."""
    stmt = (
        select(Proposal)
        .where(policies.proposal_visibility(actor), col(Proposal.status) == status)
        .order_by(col(Proposal.id))
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def proposals_by_ids(session: Session, *, actor: Actor, ids: Iterable[int]) -> list[Proposal]:
    """The caller's visible proposals among ``ids``, as entities, in one statement."""
    wanted = set(ids)
    if not wanted:
        return []
    stmt = select(Proposal).where(policies.proposal_visibility(actor), col(Proposal.id).in_(wanted))
    return list(session.exec(stmt).all())


def read_proposals(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    filters: ProposalFilters = ANY_PROPOSAL,
) -> tuple[list[ProposalPublic], str | None]:
    """Proposals the caller may see, oldest first, in two statements a page."""
    return read_model.read_page(session, actor, filters, page)


def read_proposals_rendered(
    session: Session, *, actor: Actor, page: PageParams, filters: ProposalFilters
) -> tuple[list[bytes], str | None]:
    """``read_proposals`` as JSON documents, those rendered before reused while they hold."""
    return read_model.read_page_rendered(session, actor, filters, page)
