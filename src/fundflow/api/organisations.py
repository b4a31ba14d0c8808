from typing import Annotated

from fastapi import Depends, Query

from fundflow.api.deps import CurrentActor, IdempotencyDep, SecretariatActor, require_roles
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.reference import CountryCode
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.organisations import directory, service
from fundflow.organisations.models import MembershipStatus
from fundflow.organisations.schemas import (
    DirectoryEntryIn,
    DirectoryEntryPublic,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
    PartnerCreate,
    PartnerPublic,
    PartnerUpdate,
)
from fundflow.statistics.track_record import TrackRecord, track_record

router = api_router()
TrackRecordReader = Annotated[
    Actor, Depends(require_roles(Role.SECRETARIAT, Role.COMMISSION, Role.APPLICANT))
]
PartnerEditor = Annotated[Actor, Depends(require_roles(Role.SECRETARIAT, Role.APPLICANT))]


@router.post(
    "/organisations", response_model=OrganisationPublic, status_code=201, tags=["organisations"]
)
def create_organisation(
    body: OrganisationCreate, session: SessionDep, actor: SecretariatActor, idem: IdempotencyDep
) -> OrganisationPublic:
    """Register an organisation (secretariat)."""
    return idem.once(
        lambda: OrganisationPublic.model_validate(
            service.create_organisation(session, actor=actor, data=body)
        )
    )


@router.get("/organisations", response_model=Page[OrganisationPublic], tags=["organisations"])
def list_organisations(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    membership_status: Annotated[MembershipStatus | None, Query()] = None,
) -> Page[OrganisationPublic]:
    """Organisations the caller may see (an applicant: its own)."""
    rows, cursor = service.list_organisations(
        session, actor=actor, page=page, membership_status=membership_status
    )
    return Page(items=[OrganisationPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get(
    "/organisations/{organisation_id}", response_model=OrganisationPublic, tags=["organisations"]
)
def get_organisation(
    organisation_id: Id, session: SessionDep, actor: CurrentActor
) -> OrganisationPublic:
    """One organisation."""
    return OrganisationPublic.model_validate(
        service.get_organisation(session, actor=actor, organisation_id=organisation_id)
    )


@router.patch(
    "/organisations/{organisation_id}", response_model=OrganisationPublic, tags=["organisations"]
)
def update_organisation(
    organisation_id: Id, body: OrganisationUpdate, session: SessionDep, actor: SecretariatActor
) -> OrganisationPublic:
    """Change an organisation, including its membership status (secretariat)."""
    organisation = service.get_organisation(session, actor=actor, organisation_id=organisation_id)
    return OrganisationPublic.model_validate(
        service.update_organisation(session, actor=actor, organisation=organisation, data=body)
    )


@router.get(
    "/organisations/{organisation_id}/directory-entry",
    response_model=DirectoryEntryPublic,
    tags=["organisations"],
)
def get_directory_entry(
    organisation_id: Id, session: SessionDep, actor: CurrentActor
) -> DirectoryEntryPublic:
    """The association's entry in the public directory, as its members keep it."""
    organisation = service.get_organisation(session, actor=actor, organisation_id=organisation_id)
    directory.require_entry_editor(actor, organisation)
    return DirectoryEntryPublic.model_validate(directory.entry_of(session, organisation_id))


@router.put(
    "/organisations/{organisation_id}/directory-entry",
    response_model=DirectoryEntryPublic,
    tags=["organisations"],
)
def put_directory_entry(
    organisation_id: Id, body: DirectoryEntryIn, session: SessionDep, actor: CurrentActor
) -> DirectoryEntryPublic:
    """Opt in to the public directory (``listed``) and choose what it shows (the
    association's own members)."""
    organisation = service.get_organisation(session, actor=actor, organisation_id=organisation_id)
    return DirectoryEntryPublic.model_validate(
        directory.save_entry(session, actor=actor, organisation=organisation, data=body)
    )


@router.get(
    "/organisations/{organisation_id}/track-record",
    response_model=TrackRecord,
    tags=["organisations"],
)
def get_track_record(
    organisation_id: Id, session: SessionDep, actor: TrackRecordReader
) -> TrackRecord:
    """Every submitted proposal and project of an association across calls and funders:
    outcomes, amounts, reports on time or late, refunds (secretariat, commission, and the
    association itself)."""
    organisation = service.get_organisation(session, actor=actor, organisation_id=organisation_id)
    return track_record(session, organisation, today=utcnow().date())


@router.post("/partners", response_model=PartnerPublic, status_code=201, tags=["partners"])
def create_partner(
    body: PartnerCreate, session: SessionDep, actor: PartnerEditor, idem: IdempotencyDep
) -> PartnerPublic:
    """Register a partner organisation in the beneficiary territory."""
    return idem.once(
        lambda: PartnerPublic.model_validate(
            service.create_partner(session, actor=actor, data=body)
        )
    )


@router.get("/partners", response_model=Page[PartnerPublic], tags=["partners"])
def list_partners(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    country: Annotated[CountryCode | None, Query()] = None,
) -> Page[PartnerPublic]:
    """Partners the caller may see (an applicant: its own and the shared ones)."""
    rows, cursor = service.list_partners(session, actor=actor, page=page, country=country)
    return Page(items=[PartnerPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/partners/{partner_id}", response_model=PartnerPublic, tags=["partners"])
def get_partner(partner_id: Id, session: SessionDep, actor: CurrentActor) -> PartnerPublic:
    """One partner organisation."""
    return PartnerPublic.model_validate(
        service.get_partner(session, actor=actor, partner_id=partner_id)
    )


@router.patch("/partners/{partner_id}", response_model=PartnerPublic, tags=["partners"])
def update_partner(
    partner_id: Id, body: PartnerUpdate, session: SessionDep, actor: PartnerEditor
) -> PartnerPublic:
    """Change a partner (secretariat, or the association that registered it)."""
    partner = service.get_partner(session, actor=actor, partner_id=partner_id)
    return PartnerPublic.model_validate(
        service.update_partner(session, actor=actor, partner=partner, data=body)
    )
