"""User administration: people, their roles and the organisation or funder they act for."""

from sqlmodel import Session, select

from fundflow.accounts import two_factor
from fundflow.accounts.models import User, UserRole
from fundflow.accounts.service import set_password
from fundflow.accounts.sessions import end_all_sessions
from fundflow.core.actor import Actor
from fundflow.core.errors import Conflict, RuleViolation, Violation, not_found
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.passwords import hash_password
from fundflow.core.roles import Role
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version
from fundflow.funders.models import Funder
from fundflow.organisations.models import Organisation
from fundflow.users.schemas import UserCreate, UserUpdate


def _check_links(
    session: Session, *, roles: list[Role], organisation_id: int | None, funder_id: int | None
) -> None:
    problems = []
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        problems.append(
            Violation("organisation_exists", f"Organisation {organisation_id} does not exist.")
        )
    if funder_id is not None and session.get(Funder, funder_id) is None:
        problems.append(Violation("funder_exists", f"Funder {funder_id} does not exist."))
    if Role.APPLICANT in roles and organisation_id is None:
        problems.append(
            Violation(
                "applicant_needs_organisation",
                "An applicant acts for an organisation: give organisation_id.",
            )
        )
    if Role.AUTHORITY in roles and funder_id is None:
        problems.append(
            Violation(
                "authority_needs_funder", "An authority user acts for a funder: give funder_id."
            )
        )
    if problems:
        raise RuleViolation.of("The user cannot be saved.", problems)


def create_user(session: Session, *, data: UserCreate) -> User:
    email = str(data.email).lower()
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(f"A user with the e-mail {email} already exists.")
    _check_links(
        session, roles=data.roles, organisation_id=data.organisation_id, funder_id=data.funder_id
    )
    user = User(
        email=email,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        organisation_id=data.organisation_id,
        funder_id=data.funder_id,
        language=data.language,
        role_rows=[UserRole(role=role) for role in data.roles],
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("User", user_id)
    return user


def list_users(session: Session, *, page: PageParams, role: Role | None = None):  # type: ignore[no-untyped-def]
    stmt = select(User)
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))  # type: ignore[union-attr]
    return fetch_page(session, stmt, User.id, page)


def update_user(session: Session, *, user: User, data: UserUpdate) -> User:
    check_version(user, data.version, "user")
    changes = data.model_dump(exclude_unset=True, exclude={"version", "password", "roles"})
    roles = data.roles if data.roles is not None else user.roles
    _check_links(
        session,
        roles=roles,
        organisation_id=changes.get("organisation_id", user.organisation_id),
        funder_id=changes.get("funder_id", user.funder_id),
    )
    for name, value in changes.items():
        setattr(user, name, value)
    if data.password is not None:
        set_password(session, user=user, password=data.password)
    if data.is_active is False:
        assert user.id is not None
        end_all_sessions(session, user_id=user.id)
    if data.roles is not None:
        user.role_rows = [UserRole(role=role) for role in sorted(set(data.roles))]
    session.add(user)
    bump_version(session, user, "user")
    session.flush()
    return user


def end_user_sessions(
    session: Session, *, actor: Actor, user: User, action: str = "end_sessions"
) -> int:
    """End every live session of ``user`` (an admin's act, kept in the audit trail as
    ``action``)."""
    assert user.id is not None
    ended = end_all_sessions(session, user_id=user.id)
    record_event(
        session,
        entity_type="user",
        entity_id=user.id,
        action=action,
        actor=actor,
        data={"ended": ended},
    )
    return ended


def reset_two_factor(session: Session, *, actor: Actor, user: User) -> None:
    """Forget a user's second factor (a lost phone and lost recovery codes) and end their
    sessions: they sign in with their password alone, and set a new one up (at once, when
    their role requires one and their grace period is over). Kept in the audit trail."""
    assert user.id is not None
    two_factor.remove(session, user_id=user.id)
    end_user_sessions(session, actor=actor, user=user, action="reset_two_factor")
