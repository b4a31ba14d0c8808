from fastapi import APIRouter

from fundflow.accounts.deps import CurrentActor
from fundflow.core.deps import SessionDep
from fundflow.proposals.service import get_proposal
from fundflow.similarity import service
from fundflow.similarity.schemas import SimilarRequests

router = APIRouter(tags=["proposals"])


@router.get("/proposals/{proposal_id}/similar", response_model=SimilarRequests)
def get_similar(proposal_id: int, session: SessionDep, actor: CurrentActor) -> SimilarRequests:
    """Requests that look like this proposal in any call, year or association, each with a
    score and its reasons, beside the other funding requests the proposal declares
    (secretariat and commission)."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return service.similar_requests(session, actor=actor, proposal=proposal)
