"""The secretariat invites the members of an association: an account in the association
with the applicant role, and a link, sent by e-mail, to choose its first password. Members
of the same association then work on its proposals and reports together."""

from sqlmodel import Session, col, select

from fundflow.accounts.models import Language, User
from fundflow.accounts.password_resets import INVITATION_LIFETIME, issue_link
from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.roles import Role
from fundflow.core.tokens import new_opaque_token
from fundflow.core.transitions import record_event
from fundflow.organisations.models import Organisation
from fundflow.organisations.service import get_organisation
from fundflow.users.schemas import UserCreate
from fundflow.users.service import create_user


def require_inviter(actor: Actor) -> None:
    if not (actor.has(Role.SECRETARIAT) or actor.has(Role.ADMIN)):
        raise Forbidden("The secretariat invites the members of associations.")


def invite_member(
    session: Session,
    *,
    actor: Actor,
    organisation_id: int,
    email: str,
    full_name: str,
    language: Language,
) -> tuple[User, str]:
    """The new member's account and the token of its first-password link (two weeks)."""
    require_inviter(actor)
    organisation = get_organisation(session, actor=actor, organisation_id=organisation_id)
    user = create_user(
        session,
        data=UserCreate(
            email=email,
            full_name=full_name,
            # Never typed by anyone: the member chooses a password through the link.
            password=new_opaque_token(),
            roles=[Role.APPLICANT],
            organisation_id=organisation.id,
            language=language,
        ),
    )
    assert organisation.id is not None and user.id is not None
    record_event(
        session,
        entity_type="organisation",
        entity_id=organisation.id,
        action="invite_member",
        actor=actor,
        data={"user_id": user.id},
    )
    return user, issue_link(session, user=user, lifetime=INVITATION_LIFETIME)


def members_of(session: Session, *, actor: Actor, organisation_id: int) -> list[User]:
    require_inviter(actor)
    get_organisation(session, actor=actor, organisation_id=organisation_id)
    stmt = select(User).where(User.organisation_id == organisation_id).order_by(col(User.full_name))
    return list(session.exec(stmt).all())


def organisations_to_invite_to(session: Session, *, actor: Actor) -> list[Organisation]:
    require_inviter(actor)
    return list(session.exec(select(Organisation).order_by(col(Organisation.name))).all())
