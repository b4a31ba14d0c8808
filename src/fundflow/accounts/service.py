"""Accounts: who a person is, how they sign in, and the actor they act as."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.accounts import throttle, two_factor
from fundflow.accounts.models import User
from fundflow.accounts.schemas import UserPublic
from fundflow.accounts.sessions import end_all_sessions
from fundflow.core.actor import Actor
from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import OtpRequired, Unauthenticated
from fundflow.core.fixed_statements import FixedSelect, param
from fundflow.core.messages import N_
from fundflow.core.passwords import DUMMY_HASH, hash_password, verify_password
from fundflow.core.queries import names_by_id
from fundflow.core.roles import Role


def actor_of(user: User) -> Actor:
    assert user.id is not None
    return Actor(
        id=user.id,
        roles=frozenset(user.roles),
        organisation_id=user.organisation_id,
        funder_id=user.funder_id,
    )


_ACCOUNT_FIELDS = ("id", "email", "full_name", "organisation_id", "funder_id", "language")
_ACCOUNT = FixedSelect(
    lambda: sa.select(*(getattr(User, name) for name in _ACCOUNT_FIELDS), col(User.version)).where(
        col(User.id) == param("user_id")
    ),
    params={"user_id": sa.Integer()},
)


def own_account(session: Session, actor: Actor) -> UserPublic:
    """The caller's own account (``/me``): one statement; the roles are the actor's, read
    with the sign-in an instant before."""
    rows = _ACCOUNT.rows(session.connection(), {"user_id": actor.id})
    if not rows:
        raise Unauthenticated(N_("This account no longer exists."))
    return UserPublic(
        **rows[0],
        roles=sorted((Role(role) for role in actor.roles), key=list(Role).index),
        # The sign-in is read for active accounts only.
        is_active=True,
    )


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    client_address: str,
    settings: Settings,
    otp: str | None = None,
) -> User:
    """The account of a right e-mail address and password, and of a right second-factor
    code (``otp``) when it has one set up: 401 ``otp-required`` when that code is missing
    (the browser then asks for it on a second step)."""
    address = email.strip().lower()
    now = utcnow()
    counters = throttle.counters(client_address, address, settings)
    throttle.ensure_not_locked(session, counters, now=now)
    user = session.exec(select(User).where(User.email == address)).first()
    # A hash is verified on every path, so that the time taken tells nothing about whether
    # the address has an account or whether it is active.
    password_ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if user is not None and user.is_active and password_ok:
        assert user.id is not None
        if two_factor.is_set_up(session, user.id):
            if not otp:
                raise OtpRequired(
                    N_("Give the code your authenticator app shows, or a recovery code (otp).")
                )
            two_factor.check_at_sign_in(session, user, otp, counters, settings)
        throttle.forget(session, counters[0])
        return user
    throttle.record_failure(session, counters, now=now, settings=settings)
    # The failure must outlive the refusal, which rolls the request's transaction back.
    session.commit()
    raise Unauthenticated(N_("Incorrect e-mail or password."))


def account_by_email(session: Session, email: str) -> User:
    """The account of an address already authenticated (a sign-in's second step)."""
    return session.exec(select(User).where(User.email == email.strip().lower())).one()


def complete_sign_in(
    session: Session, *, user: User, otp: str, client_address: str, settings: Settings
) -> None:
    """A sign-in's second step, in the browser: the code of an account whose password was
    given; a wrong or used code counts as a failed sign-in."""
    counters = throttle.counters(client_address, user.email, settings)
    two_factor.check_at_sign_in(session, user, otp, counters, settings)
    throttle.forget(session, counters[0])


def set_password(session: Session, *, user: User, password: str) -> None:
    """A new password ends every session opened with the old one."""
    user.password_hash = hash_password(password)
    session.add(user)
    if user.id is not None:
        end_all_sessions(session, user_id=user.id)


def full_names(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Users' names by id, in one query (none when there is nobody to name)."""
    return names_by_id(session, User.id, User.full_name, user_ids)
