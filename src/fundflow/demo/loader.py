"""Demo data that looks like a Vaud federation's year (`fundflow demo`).

Everything goes through the services and the workflow engine, so the demo's proposals
carry the same events a real history would. Loading twice changes nothing but the demo
users' password, which is printed, never stored in the repository.
"""

import secrets
from datetime import date

from sqlmodel import Session, select

from fundflow.accounts.models import User
from fundflow.accounts.service import actor_of, set_password
from fundflow.calls.models import Call, CallKind
from fundflow.calls.schemas import CallCreate
from fundflow.calls.service import create_call
from fundflow.calls.workflow import CALL_MACHINE
from fundflow.core.actor import Actor
from fundflow.core.database import ensure_migrated, get_engine
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.demo.awards import AWARD_ROUND
from fundflow.demo.calls import COOPERATION_CALL, INTEGRATION_CALL, PROPOSALS
from fundflow.demo.commission import load_commission
from fundflow.demo.federation import ASSOCIATIONS, DIRECTORY, FEDERATION, FUNDERS, M
from fundflow.demo.people import DEMO_USERS
from fundflow.funders.models import Funder
from fundflow.funders.schemas import EnvelopeCreate, FunderCreate
from fundflow.funders.service import create_envelope, create_funder
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.organisations.directory import save_entry
from fundflow.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Partner,
)
from fundflow.organisations.schemas import DirectoryEntryIn, OrganisationCreate, PartnerCreate
from fundflow.organisations.service import create_organisation, create_partner
from fundflow.proposals import policies as proposal_policies
from fundflow.proposals.schemas import ProposalCreate
from fundflow.proposals.service import create_proposal
from fundflow.users.schemas import UserCreate
from fundflow.users.service import create_user


def load_demo(*, password: str | None = None) -> tuple[list[tuple[str, str]], str]:
    """Load the demo once; every call (re)sets the demo users' password and returns it."""
    password = password or secrets.token_urlsafe(9)
    engine = get_engine()
    ensure_migrated(engine)
    with Session(engine) as session, session.begin():
        if (
            session.exec(select(Organisation).where(Organisation.name == FEDERATION)).first()
            is None
        ):
            _load(session, password)
        else:
            for email, *_ in DEMO_USERS:
                user = session.exec(select(User).where(User.email == email)).first()
                if user is not None:
                    set_password(session, user=user, password=password)
    return [(", ".join(roles), email) for email, _, roles, _, _ in DEMO_USERS], password


def _load(session: Session, password: str) -> None:
    create_organisation(
        session,
        actor=DEMO_LOADER,
        data=OrganisationCreate(
            name=FEDERATION,
            kind=OrganisationKind.FEDERATION,
            seat_canton="VD",
            seat_city="Lausanne",
            membership_status=MembershipStatus.MEMBER,
            zewo_certified=True,
            email="info@fedevaco.example",
        ),
    )
    organisations: list[Organisation] = []
    partners: list[Partner] = []
    for name, city, origins, status, partner in ASSOCIATIONS:
        organisation = create_organisation(
            session,
            actor=DEMO_LOADER,
            data=OrganisationCreate(
                name=name,
                seat_canton="VD",
                seat_city=city,
                is_diaspora_led=bool(origins),
                diaspora_origins=origins,
                membership_status=status,
                membership_since=date(2015 + len(organisations) % 8, 6, 1)
                if status in (M.MEMBER, M.SUSPENDED)
                else None,
                audited_accounts_years=[2024, 2025] if status == M.MEMBER else [],
            ),
        )
        organisations.append(organisation)
        p_name, p_country, p_locality, p_kind = partner
        partners.append(
            create_partner(
                session,
                actor=DEMO_LOADER,
                data=PartnerCreate(
                    name=p_name,
                    country=p_country,
                    locality=p_locality,
                    kind=p_kind,  # type: ignore[arg-type]
                    organisation_id=organisation.id,
                ),
            )
        )
    funders: dict[str, Funder] = {}
    for name, level, envelopes in FUNDERS:
        funder = create_funder(session, data=FunderCreate(name=name, level=level))
        funders[name] = funder
        for year in (2026, 2027):
            for envelope in envelopes:
                create_envelope(
                    session,
                    actor=DEMO_LOADER,
                    funder=funder,
                    data=EnvelopeCreate(year=year, **envelope),
                )
    users = {}
    for email, full_name, roles, org_index, funder_name in DEMO_USERS:
        users[email] = create_user(
            session,
            data=UserCreate(
                email=email,
                full_name=full_name,
                password=password,
                roles=roles,
                organisation_id=organisations[org_index].id if org_index is not None else None,
                funder_id=funders[funder_name].id if funder_name else None,
            ),
        )
    secretariat = actor_of(users["secretariat@fedevaco.example"])
    calls: dict[str, Call] = {}
    for spec in (COOPERATION_CALL, INTEGRATION_CALL, AWARD_ROUND):
        call = create_call(session, actor=secretariat, data=CallCreate.model_validate(spec))
        perform_transition(
            session,
            machine=CALL_MACHINE,
            entity=call,
            actor=secretariat,
            acting_roles={Role.SECRETARIAT},
            action="open",
        )
        calls[call.kind] = call
    proposals = []
    for org_index, kind, payload, actions in PROPOSALS:
        organisation = organisations[org_index]
        member = next((u for u in users.values() if u.organisation_id == organisation.id), None)
        applicant = Actor(
            id=member.id if member else None,  # type: ignore[arg-type]
            roles=frozenset({Role.APPLICANT}),
            organisation_id=organisation.id,
        )
        data = {**payload, "call_id": calls[CallKind(kind)].id}
        if calls[CallKind(kind)].rules["requires_partner"]:
            data["partner_id"] = partners[org_index].id
        proposal = create_proposal(
            session, actor=applicant, data=ProposalCreate.model_validate(data)
        )
        for action, comment in actions:
            actor = secretariat if action not in ("submit", "withdraw") else applicant
            perform_transition(
                session,
                machine=PROPOSAL_MACHINE,
                entity=proposal,
                actor=actor,
                acting_roles=proposal_policies.acting_roles(actor, proposal),
                action=action,
                comment=comment,
            )
        proposals.append(proposal)
    load_commission(session, users=users, call=calls[CallKind.COOPERATION], proposals=proposals)
    for org_index, entry in DIRECTORY:
        organisation = organisations[org_index]
        member = next(u for u in users.values() if u.organisation_id == organisation.id)
        save_entry(
            session,
            actor=actor_of(member),
            organisation=organisation,
            data=DirectoryEntryIn.model_validate(entry),
        )


# The demo loader itself, recorded as the service's own process in the audit trail.
DEMO_LOADER = Actor.system("demo", Role.SECRETARIAT)
