from typing import Annotated

from fastapi import Query

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.routing import api_router
from fundflow.funders import policies, service
from fundflow.funders.schemas import (
    EnvelopeCreate,
    EnvelopePublic,
    EnvelopeUpdate,
    FunderCreate,
    FunderPublic,
)

router = api_router(tags=["funders"])


@router.post("/funders", response_model=FunderPublic, status_code=201)
def create_funder(
    body: FunderCreate, session: SessionDep, _: SecretariatActor, idem: IdempotencyDep
) -> FunderPublic:
    """Register a funder (secretariat)."""
    return idem.once(lambda: FunderPublic.model_validate(service.create_funder(session, data=body)))


@router.get("/funders", response_model=Page[FunderPublic])
def list_funders(session: SessionDep, _: CurrentActor, page: PageDep) -> Page[FunderPublic]:
    """All funders (their names and levels are public)."""
    rows, cursor = service.list_funders(session, page=page)
    return Page(items=[FunderPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/funders/{funder_id}", response_model=FunderPublic)
def get_funder(funder_id: Id, session: SessionDep, _: CurrentActor) -> FunderPublic:
    """One funder."""
    return FunderPublic.model_validate(service.get_funder(session, funder_id=funder_id))


@router.post("/funders/{funder_id}/envelopes", response_model=EnvelopePublic, status_code=201)
def create_envelope(
    funder_id: Id,
    body: EnvelopeCreate,
    session: SessionDep,
    actor: SecretariatActor,
    idem: IdempotencyDep,
) -> EnvelopePublic:
    """Add a yearly envelope, with its rules, to a funder (secretariat)."""
    funder = service.get_funder(session, funder_id=funder_id)
    return idem.once(
        lambda: EnvelopePublic.model_validate(
            service.create_envelope(session, actor=actor, funder=funder, data=body)
        )
    )


@router.get("/funders/{funder_id}/envelopes", response_model=Page[EnvelopePublic])
def list_envelopes(
    funder_id: Id,
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    year: Annotated[Id | None, Query()] = None,
) -> Page[EnvelopePublic]:
    """A funder's envelopes with committed, disbursed and available amounts."""
    funder = service.get_funder(session, funder_id=funder_id)
    policies.check_envelope_reader(actor, funder_id)
    rows, cursor = service.list_envelopes(session, funder=funder, page=page, year=year)
    return Page(items=[EnvelopePublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/envelopes/{envelope_id}", response_model=EnvelopePublic)
def get_envelope(envelope_id: Id, session: SessionDep, actor: CurrentActor) -> EnvelopePublic:
    """One envelope."""
    return EnvelopePublic.model_validate(
        service.get_envelope(session, actor=actor, envelope_id=envelope_id)
    )


@router.patch("/envelopes/{envelope_id}", response_model=EnvelopePublic)
def update_envelope(
    envelope_id: Id, body: EnvelopeUpdate, session: SessionDep, actor: SecretariatActor
) -> EnvelopePublic:
    """Change an envelope's amount or rules; never below what it has committed (secretariat)."""
    envelope = service.get_envelope(session, actor=actor, envelope_id=envelope_id)
    return EnvelopePublic.model_validate(
        service.update_envelope(session, actor=actor, envelope=envelope, data=body)
    )
