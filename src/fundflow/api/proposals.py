from typing import Annotated

from fastapi import Header, Query, Response

from fundflow.api.deps import CurrentActor, IdempotencyDep
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.core.catalogues import translator
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.formats import rendered_page_response, rendered_response
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router, quick_read
from fundflow.lifecycle.coaching import notify_association
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.proposals import policies, service
from fundflow.proposals.coaching import service as coaching
from fundflow.proposals.coaching.schemas import (
    AdviceRequestPublic,
    CommentCreate,
    CommentPublic,
    CommentUpdate,
)
from fundflow.proposals.models import ProposalStatus
from fundflow.proposals.read_model import ProposalFilters
from fundflow.proposals.schemas import Eligibility, ProposalCreate, ProposalPublic, ProposalUpdate

router = api_router(tags=["proposals"])


@router.post("/proposals", response_model=ProposalPublic, status_code=201)
def create_proposal(
    body: ProposalCreate, session: SessionDep, actor: CurrentActor, idem: IdempotencyDep
) -> ProposalPublic:
    """Start a draft proposal for the caller's organisation (applicant)."""
    return idem.once(
        lambda: service.to_public(session, service.create_proposal(session, actor=actor, data=body))
    )


@router.get("/proposals", response_model=Page[ProposalPublic])
@quick_read
def list_proposals(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    call_id: Annotated[Id | None, Query()] = None,
    status: Annotated[ProposalStatus | None, Query()] = None,
    organisation_id: Annotated[Id | None, Query()] = None,
) -> Response:
    """Proposals the caller may see, oldest first."""
    filters = ProposalFilters(call_id=call_id, status=status, organisation_id=organisation_id)
    documents, cursor = service.read_proposals_rendered(
        session, actor=actor, page=page, filters=filters
    )
    return rendered_page_response(documents, cursor)


@router.get("/proposals/{proposal_id}", response_model=ProposalPublic)
@quick_read
def get_proposal(proposal_id: Id, session: SessionDep, actor: CurrentActor) -> Response:
    """One proposal with its budget, financing plan, logframe and derived figures."""
    return rendered_response(
        service.read_proposal_rendered(session, actor=actor, proposal_id=proposal_id)
    )


@router.patch("/proposals/{proposal_id}", response_model=ProposalPublic)
def update_proposal(
    proposal_id: Id, body: ProposalUpdate, session: SessionDep, actor: CurrentActor
) -> ProposalPublic:
    """Edit a proposal in draft or revision_requested (its organisation)."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.to_public(
        session, service.update_proposal(session, actor=actor, proposal=proposal, data=body)
    )


@router.get("/proposals/{proposal_id}/eligibility", response_model=Eligibility)
def get_eligibility(
    proposal_id: Id,
    session: SessionDep,
    actor: CurrentActor,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Eligibility:
    """Every eligibility rule of the proposal's call, passed or failed, explained (in
    French with `Accept-Language: fr`), and warnings about similar requests (the caller's
    own association's only, for applicants)."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.eligibility(
        session, actor=actor, proposal=proposal, translate=translator(accept_language)
    )


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="proposals",
        id_name="proposal_id",
        machine=PROPOSAL_MACHINE,
        load=lambda session, actor, pid: service.get_proposal(
            session, actor=actor, proposal_id=pid
        ),
        acting_roles=policies.acting_roles,
        to_public=lambda session, _actor, proposal: service.to_public(session, proposal),
    ),
    response_model=ProposalPublic,
)


@router.post(
    "/proposals/{proposal_id}/advice-request", response_model=AdviceRequestPublic, tags=["coaching"]
)
def request_advice(
    proposal_id: Id, session: SessionDep, actor: CurrentActor
) -> AdviceRequestPublic:
    """Share a draft with the secretariat and ask for its advice (the association)."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    coaching.request_advice(session, actor=actor, proposal=proposal)
    assert proposal.id is not None and proposal.advice_requested_at is not None
    return AdviceRequestPublic(
        proposal_id=proposal.id, advice_requested_at=proposal.advice_requested_at
    )


@router.get(
    "/proposals/{proposal_id}/comments", response_model=Page[CommentPublic], tags=["coaching"]
)
def list_comments(proposal_id: Id, session: SessionDep, actor: CurrentActor) -> Page[CommentPublic]:
    """The proposal's comments, oldest first: all of them for the secretariat, those meant
    for the association for its members (never an internal one)."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    comments = coaching.comments_of(session, actor=actor, proposal=proposal)
    return Page(items=coaching.to_public_many(session, comments), next_cursor=None)


@router.post(
    "/proposals/{proposal_id}/comments",
    response_model=CommentPublic,
    status_code=201,
    tags=["coaching"],
)
def add_comment(
    proposal_id: Id,
    body: CommentCreate,
    session: SessionDep,
    actor: CurrentActor,
    settings: SettingsDep,
) -> CommentPublic:
    """Comment on a section (the secretariat: for the association or `internal`), or answer
    a comment (`parent_id`: the answer keeps its section and visibility). The association's
    members are told of a comment meant for them by e-mail."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    comment = coaching.add_comment(session, actor=actor, proposal=proposal, data=body)
    notify_association(session, settings, proposal, comment)
    return coaching.to_public_many(session, [comment])[0]


@router.patch(
    "/proposals/{proposal_id}/comments/{comment_id}",
    response_model=CommentPublic,
    tags=["coaching"],
)
def update_comment(
    proposal_id: Id, comment_id: Id, body: CommentUpdate, session: SessionDep, actor: CurrentActor
) -> CommentPublic:
    """Resolve a comment, or open it again."""
    proposal = service.get_proposal(session, actor=actor, proposal_id=proposal_id)
    comment = coaching.set_resolved(
        session, actor=actor, proposal=proposal, comment_id=comment_id, resolved=body.resolved
    )
    return coaching.to_public_many(session, [comment])[0]
