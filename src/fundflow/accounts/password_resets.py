"""One-time links to choose a password ("forgotten password", or an invitation's first
password). The link holds a random token; the database keeps its SHA-256. A link works
once, within its lifetime, and choosing a password with it ends every session of the
account, as any new password does."""

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.accounts.models import PasswordReset, User
from fundflow.accounts.service import set_password
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import InvalidInput
from fundflow.core.tokens import digest_of, new_opaque_token

LIFETIME = timedelta(hours=2)
INVITATION_LIFETIME = timedelta(days=14)


def issue_link(session: Session, *, user: User, lifetime: timedelta = LIFETIME) -> str:
    """A new link's token for ``user``; earlier unused links of the account stop working."""
    assert user.id is not None
    now = utcnow()
    session.execute(
        sa.update(PasswordReset)
        .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    token = new_opaque_token()
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=digest_of(token), created_at=now, expires_at=now + lifetime
        )
    )
    session.flush()
    return token


def request_reset(session: Session, *, email: str) -> tuple[User, str] | None:
    """The account and a link's token for a forgotten password; None for an address with
    no active account (the caller answers the same either way)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        return None
    return user, issue_link(session, user=user)


def live_link(session: Session, token: str) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    return session.exec(
        select(PasswordReset).where(
            PasswordReset.token_hash == digest_of(token),
            col(PasswordReset.used_at).is_(None),
            PasswordReset.expires_at > utcnow(),
        )
    ).first()


def choose_password(session: Session, *, token: str, password: str) -> User:
    """Set the password the link was for, once; InvalidInput for a used, expired or
    unknown link."""
    link = live_link(session, token)
    user = session.get(User, link.user_id) if link else None
    if link is None or user is None or not user.is_active:
        raise InvalidInput("This link has expired or has already been used.")
    link.used_at = utcnow()
    session.add(link)
    set_password(session, user=user, password=password)
    return user
