from fundflow.api.deps import CurrentActor
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.routing import api_router
from fundflow.proposals.service import get_proposal
from fundflow.proposals.similarity import service
from fundflow.proposals.similarity.schemas import SimilarRequests, VerdictIn, VerdictPublic

router = api_router(tags=["proposals"])


@router.get("/proposals/{proposal_id}/similar", response_model=SimilarRequests)
def get_similar(proposal_id: Id, session: SessionDep, actor: CurrentActor) -> SimilarRequests:
    """Requests that look like this proposal in any call, year or association, each with a
    score and its reasons, beside the other funding requests the proposal declares
    (secretariat and commission)."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.similar_requests(session, actor=actor, proposal=proposal)


@router.put("/proposals/{proposal_id}/similar/{other_proposal_id}", response_model=VerdictPublic)
def put_verdict(
    proposal_id: Id,
    other_proposal_id: Id,
    body: VerdictIn,
    session: SessionDep,
    actor: CurrentActor,
) -> VerdictPublic:
    """Record whether a similar request is the same project or a different one
    (secretariat); `different_project` lifts the double-funding block and the warning."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    verdict = service.record_verdict(
        session, actor=actor, proposal=proposal, other_id=other_proposal_id, data=body
    )
    return VerdictPublic.model_validate(verdict)
