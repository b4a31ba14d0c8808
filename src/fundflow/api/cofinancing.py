"""Co-financing: commitments, tranches, disbursements, the ledger and the allocation."""

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.calls.service import get_call
from fundflow.cofinancing import allocation_service as allocation
from fundflow.cofinancing import disbursements
from fundflow.cofinancing import policies as commitment_policies
from fundflow.cofinancing import service as commitments
from fundflow.cofinancing.schemas import (
    AllocationApplied,
    AllocationPlan,
    CommitmentCreate,
    CommitmentPublic,
    DisbursementCreate,
    DisbursementPublic,
    Ledger,
    TranchePublic,
)
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router
from fundflow.projects import service

router = api_router(tags=["co-financing"])


@router.post(
    "/projects/{project_id}/commitments",
    response_model=CommitmentPublic,
    status_code=201,
)
def create_commitment(
    project_id: Id,
    body: CommitmentCreate,
    session: SessionDep,
    actor: SecretariatActor,
    idem: IdempotencyDep,
) -> CommitmentPublic:
    """Propose a funder's share of the project from one of its envelopes (secretariat)."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    return idem.once(
        lambda: CommitmentPublic.model_validate(
            commitments.create_commitment(session, actor=actor, project=project, data=body)
        )
    )


@router.get(
    "/projects/{project_id}/commitments",
    response_model=Page[CommitmentPublic],
)
def list_commitments(
    project_id: Id, session: SessionDep, actor: CurrentActor, page: PageDep
) -> Page[CommitmentPublic]:
    """The project's commitments the caller may see."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    rows, cursor = commitments.list_commitments(session, actor=actor, project=project, page=page)
    return Page(items=[CommitmentPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/commitments/{commitment_id}", response_model=CommitmentPublic)
def get_commitment(commitment_id: Id, session: SessionDep, actor: CurrentActor) -> CommitmentPublic:
    """One commitment."""
    return CommitmentPublic.model_validate(
        commitments.get_commitment(session, actor=actor, commitment_id=commitment_id)
    )


@router.get("/projects/{project_id}/tranches", response_model=list[TranchePublic])
def list_tranches(project_id: Id, session: SessionDep, actor: CurrentActor) -> list[TranchePublic]:
    """The agreement's tranches: pending until their condition holds, then due, then paid."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    return disbursements.tranches_of(session, project)


@router.post(
    "/projects/{project_id}/disbursements",
    response_model=DisbursementPublic,
    status_code=201,
)
def create_disbursement(
    project_id: Id,
    body: DisbursementCreate,
    session: SessionDep,
    actor: SecretariatActor,
    idem: IdempotencyDep,
) -> DisbursementPublic:
    """Record the payment of a due tranche, split across the funders pro rata (secretariat)."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    return idem.once(
        lambda: disbursements.disbursement_public(
            session,
            project,
            disbursements.record_disbursement(session, actor=actor, project=project, data=body),
        )
    )


@router.get(
    "/projects/{project_id}/disbursements",
    response_model=list[DisbursementPublic],
)
def list_disbursements(
    project_id: Id, session: SessionDep, actor: CurrentActor
) -> list[DisbursementPublic]:
    """Payments made to the project and each funder's share of them."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    return disbursements.disbursements_of(session, project)


@router.get("/projects/{project_id}/ledger", response_model=Ledger)
def get_ledger(project_id: Id, session: SessionDep, actor: CurrentActor) -> Ledger:
    """Per funder: committed, disbursed and remaining (a funder's staff see their own
    funder's rows, the others only inside the totals)."""
    project = service.get_project(session, actor=actor, project_id=project_id)
    return disbursements.ledger(
        session, project, funder_rows=commitment_policies.money_rows_of(actor)
    )


@router.post("/calls/{call_id}/allocation", response_model=AllocationPlan)
def propose_allocation(call_id: Id, session: SessionDep, actor: SecretariatActor) -> AllocationPlan:
    """A plan of commitments funding the call's approved projects in ranking order across
    the funders' envelopes, under their rules, with each unfunded project explained."""
    call = get_call(session, actor=actor, call_id=call_id)
    return allocation.propose_plan(session, call=call)


@router.post("/calls/{call_id}/allocation/apply", response_model=AllocationApplied)
def apply_allocation(
    call_id: Id, session: SessionDep, actor: SecretariatActor
) -> AllocationApplied:
    """Create the plan's commitments as `proposed`, for the funders to confirm."""
    call = get_call(session, actor=actor, call_id=call_id)
    return allocation.apply_plan(session, actor=actor, call=call)


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="commitments",
        id_name="commitment_id",
        machine=COMMITMENT_MACHINE,
        load=lambda session, actor, cid: commitments.get_commitment(
            session, actor=actor, commitment_id=cid
        ),
        acting_roles=commitment_policies.acting_roles,
        to_public=lambda _session, _actor, c: CommitmentPublic.model_validate(c),
    ),
    response_model=CommitmentPublic,
)
