from typing import Annotated, Any

from fastapi import Depends, Query, Response

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor, require_roles
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.calls.service import get_call
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep
from fundflow.core.formats import ExportFormat, FormatQuery, csv_response, raw_json_response
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.proposals.service import get_proposal
from fundflow.reviews import commission, policies, ranking_service, service
from fundflow.reviews.models import ReviewStatus
from fundflow.reviews.schemas import (
    AssignmentRequest,
    AssignmentResult,
    AssignReviewer,
    CalibrationPublic,
    CommissionMemberPublic,
    CommissionProfileIn,
    Ranking,
    ReviewPublic,
    ReviewUpdate,
)
from fundflow.reviews.workflow import REVIEW_MACHINE

router = api_router(tags=["reviews"])
CommissionOrSecretariat = Annotated[
    Actor, Depends(require_roles(Role.SECRETARIAT, Role.COMMISSION))
]


@router.post("/proposals/{proposal_id}/reviews", response_model=ReviewPublic, status_code=201)
def assign_reviewer(
    proposal_id: Id,
    body: AssignReviewer,
    session: SessionDep,
    actor: SecretariatActor,
    idem: IdempotencyDep,
) -> ReviewPublic:
    """Assign one commission member to a proposal in review (secretariat)."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return idem.once(
        lambda: service.to_public(
            session,
            service.assign_reviewer(
                session, actor=actor, proposal=proposal, reviewer_id=body.reviewer_id
            ),
        )
    )


@router.get("/proposals/{proposal_id}/reviews", response_model=Page[ReviewPublic])
def proposal_reviews(
    proposal_id: Id, session: SessionDep, actor: CurrentActor
) -> Page[ReviewPublic]:
    """Reviews of a proposal: all for the secretariat; for a reviewer, their own and, once
    it is submitted, the others' submitted ones; never for applicants."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    reviews = service.reviews_of_proposal(session, actor=actor, proposal=proposal)
    return Page(items=service.to_public_many(session, reviews), next_cursor=None)


@router.post("/calls/{call_id}/review-assignments", response_model=AssignmentResult)
def assign_for_call(
    call_id: Id, body: AssignmentRequest, session: SessionDep, actor: SecretariatActor
) -> AssignmentResult:
    """Give every proposal in review of the call its reviewers, balancing load, preferring
    expertise, never with a conflict of interest (secretariat)."""
    call = get_call(session, actor=actor, call_id=call_id)
    created, unfilled = service.assign_for_call(
        session, actor=actor, call=call, per_proposal=body.reviewers_per_proposal
    )
    return AssignmentResult(assigned=service.to_public_many(session, created), unfilled=unfilled)


@router.get("/reviews", response_model=Page[ReviewPublic])
def list_reviews(
    session: SessionDep,
    actor: CommissionOrSecretariat,
    page: PageDep,
    proposal_id: Annotated[Id | None, Query()] = None,
    call_id: Annotated[Id | None, Query()] = None,
    status: Annotated[ReviewStatus | None, Query()] = None,
    reviewer_id: Annotated[Id | None, Query()] = None,
) -> Page[ReviewPublic]:
    """A commission member's assignments; every review for the secretariat."""
    rows, cursor = service.list_reviews(
        session,
        actor=actor,
        page=page,
        proposal_id=proposal_id,
        call_id=call_id,
        status=status,
        reviewer_id=reviewer_id,
    )
    return Page(items=service.to_public_many(session, rows), next_cursor=cursor)


@router.get("/reviews/{review_id}", response_model=ReviewPublic)
def get_review(review_id: Id, session: SessionDep, actor: CurrentActor) -> ReviewPublic:
    """One review, if the sealed-review rule lets the caller see it."""
    return service.to_public(session, service.get_review(session, actor=actor, review_id=review_id))


@router.put("/reviews/{review_id}", response_model=ReviewPublic)
def save_review(
    review_id: Id, body: ReviewUpdate, session: SessionDep, actor: CurrentActor
) -> ReviewPublic:
    """Save the scores, recommendation and comment while the review is assigned (its
    reviewer)."""
    review = service.get_review(session, actor=actor, review_id=review_id)
    return service.to_public(
        session, service.save_scores(session, actor=actor, review=review, data=body)
    )


@router.delete("/reviews/{review_id}", status_code=204)
def withdraw_assignment(review_id: Id, session: SessionDep, actor: SecretariatActor) -> Response:
    """Withdraw an assignment the member has not started, to give the proposal to another
    (secretariat); 409 once it is scored, submitted or declined."""
    review = service.get_review(session, actor=actor, review_id=review_id)
    service.withdraw_assignment(session, actor=actor, review=review)
    return Response(status_code=204)


@router.get(
    "/calls/{call_id}/ranking",
    response_model=Ranking,
    responses={200: {"content": {"text/csv": {}}}},
)
def call_ranking(
    call_id: Id,
    session: SessionDep,
    actor: CommissionOrSecretariat,
    export: FormatQuery = ExportFormat.JSON,
) -> Any:
    """The call's proposals ranked by score with the budget line (JSON or CSV). The
    secretariat sees it whole; a commission member once their reviews of the call are all
    in, without the proposals they have a conflict of interest with."""
    call = get_call(session, actor=actor, call_id=call_id)
    hidden = policies.hidden_ranking_rows(session, actor, call)
    result = ranking_service.ranking(session, call=call).without(hidden)
    if export == ExportFormat.CSV:
        return csv_response(
            ranking_service.ranking_csv(result, call.criteria),
            filename=f"ranking-call-{call_id}.csv",
        )
    return raw_json_response(ranking_service.ranking_document(result))


@router.get("/calls/{call_id}/calibration", response_model=CalibrationPublic)
def call_calibration(
    call_id: Id, session: SessionDep, actor: SecretariatActor
) -> CalibrationPublic:
    """Each reviewer's mean and spread against the commission's, and each proposal's score
    recomputed on standardised reviewer scales (secretariat)."""
    call = get_call(session, actor=actor, call_id=call_id)
    return ranking_service.calibration(session, call=call)


@router.get("/commission-members", response_model=Page[CommissionMemberPublic], tags=["commission"])
def list_commission_members(
    session: SessionDep, _: SecretariatActor, page: PageDep
) -> Page[CommissionMemberPublic]:
    """Commission members with their expertise, affiliations and load (secretariat)."""
    items, cursor = commission.list_members(session, page=page)
    return Page(items=items, next_cursor=cursor)


@router.put(
    "/commission-members/{user_id}", response_model=CommissionMemberPublic, tags=["commission"]
)
def set_commission_profile(
    user_id: Id, body: CommissionProfileIn, session: SessionDep, actor: SecretariatActor
) -> CommissionMemberPublic:
    """Record a member's expertise and affiliations (secretariat)."""
    return commission.set_profile(session, actor=actor, user_id=user_id, data=body)


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="reviews",
        id_name="review_id",
        machine=REVIEW_MACHINE,
        load=lambda session, actor, rid: service.get_review(session, actor=actor, review_id=rid),
        acting_roles=policies.acting_roles,
        to_public=service.to_public_for_route,
    ),
    response_model=ReviewPublic,
)
