"""Organisations (associations and others) and their partners in the field."""

from collections.abc import Iterable, Sequence

from sqlmodel import Session, select

from fundflow.core.actor import Actor
from fundflow.core.errors import Conflict, Forbidden, RuleViolation, Violation
from fundflow.core.messages import N_, Message
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible, names_by_id, where_given
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version
from fundflow.organisations import policies
from fundflow.organisations.models import MembershipStatus, Organisation, Partner
from fundflow.organisations.schemas import (
    OrganisationCreate,
    OrganisationUpdate,
    PartnerCreate,
    PartnerUpdate,
)


def _name_taken(session: Session, name: str, *, except_id: int | None = None) -> bool:
    stmt = select(Organisation.id).where(Organisation.name == name)
    if except_id is not None:
        stmt = stmt.where(Organisation.id != except_id)
    return session.exec(stmt).first() is not None


def create_organisation(
    session: Session, *, actor: Actor, data: OrganisationCreate
) -> Organisation:
    if _name_taken(session, data.name):
        raise Conflict(f"An organisation named {data.name!r} already exists.")
    organisation = Organisation(**data.model_dump())
    session.add(organisation)
    session.flush()
    assert organisation.id is not None
    record_event(
        session, entity_type="organisation", entity_id=organisation.id, action="create", actor=actor
    )
    return organisation


def get_organisation(session: Session, *, actor: Actor, organisation_id: int) -> Organisation:
    return get_visible(
        session,
        Organisation,
        organisation_id,
        policies.organisation_visibility(actor),
        "Organisation",
    )


def list_organisations(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    membership_status: MembershipStatus | None = None,
) -> tuple[Sequence[Organisation], str | None]:
    stmt = where_given(
        select(Organisation).where(policies.organisation_visibility(actor)),
        {Organisation.membership_status: membership_status},
    )
    return fetch_page(session, stmt, Organisation.id, page)


def update_organisation(
    session: Session, *, actor: Actor, organisation: Organisation, data: OrganisationUpdate
) -> Organisation:
    check_version(organisation, data.version, "organisation")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "name" in changes and _name_taken(session, changes["name"], except_id=organisation.id):
        raise Conflict(f"An organisation named {changes['name']!r} already exists.")
    before = organisation.membership_status
    for name, value in changes.items():
        setattr(organisation, name, value)
    session.add(organisation)
    bump_version(session, organisation, "organisation")
    assert organisation.id is not None
    record_event(
        session,
        entity_type="organisation",
        entity_id=organisation.id,
        action="update",
        actor=actor,
        data={
            "fields": sorted(changes),
            "membership_status": [str(before), str(organisation.membership_status)],
        },
    )
    session.flush()
    return organisation


def create_partner(session: Session, *, actor: Actor, data: PartnerCreate) -> Partner:
    owner = policies.partner_owner(actor, data.organisation_id)
    if owner is not None and session.get(Organisation, owner) is None:
        raise RuleViolation.of(
            N_("The partner cannot be saved."),
            [
                Violation(
                    "organisation_exists",
                    Message(N_("Organisation %(id)s does not exist."), {"id": owner}),
                )
            ],
        )
    partner = Partner(**data.model_dump(exclude={"organisation_id"}), organisation_id=owner)
    session.add(partner)
    session.flush()
    return partner


def get_partner(session: Session, *, actor: Actor, partner_id: int) -> Partner:
    return get_visible(session, Partner, partner_id, policies.partner_visibility(actor), "Partner")


def list_partners(
    session: Session, *, actor: Actor, page: PageParams, country: str | None = None
) -> tuple[Sequence[Partner], str | None]:
    stmt = where_given(
        select(Partner).where(policies.partner_visibility(actor)), {Partner.country: country}
    )
    return fetch_page(session, stmt, Partner.id, page)


def update_partner(
    session: Session, *, actor: Actor, partner: Partner, data: PartnerUpdate
) -> Partner:
    if not policies.can_edit_partner(actor, partner):
        raise Forbidden(
            N_("Only the secretariat or the association that registered a partner may edit it.")
        )
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(partner, name, value)
    session.add(partner)
    session.flush()
    return partner


def organisation_names(session: Session, organisation_ids: Iterable[int]) -> dict[int, str]:
    return names_by_id(session, Organisation.id, Organisation.name, organisation_ids)
