"""Signed-in sessions: opened at sign-in, looked up on every request, ended at will.

A token is only as good as its session: ending the session (sign-out, a new password, a
deactivated account) ends every token issued for it on the next request.
"""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlmodel import Session, col, select

from fundflow.accounts.models import AuthSession, User
from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.tokens import access_token_lifetime, issue_access_token


def open_session(
    session: Session,
    *,
    user: User,
    lifetime: timedelta,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> AuthSession:
    assert user.id is not None
    now = utcnow()
    row = AuthSession(
        user_id=user.id,
        created_at=now,
        expires_at=now + lifetime,
        client_address=(client_address or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(row)
    session.flush()
    return row


def issue_token(
    session: Session,
    settings: Settings,
    *,
    user: User,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> tuple[str, int]:
    """Open an API session for ``user`` and return its bearer token and lifetime (s)."""
    assert user.id is not None
    opened = open_session(
        session,
        user=user,
        lifetime=access_token_lifetime(settings),
        client_address=client_address,
        user_agent=user_agent,
    )
    assert opened.id is not None
    return issue_access_token(settings, user_id=user.id, session_id=opened.id)


def signed_in_user(session: Session, *, user_id: int, session_id: int) -> User | None:
    """The active user of a live session with their roles, in one statement (every request
    asks it); None for anything else."""
    return (
        session.exec(
            select(User)
            .join(AuthSession, col(AuthSession.user_id) == col(User.id))
            .where(
                col(AuthSession.id) == session_id,
                col(User.id) == user_id,
                col(User.is_active).is_(True),
                col(AuthSession.ended_at).is_(None),
                col(AuthSession.expires_at) > utcnow(),
            )
            .options(joinedload(User.role_rows))  # type: ignore[arg-type]
        )
        .unique()
        .first()
    )


def end_session(session: Session, *, session_id: int) -> None:
    session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(session: Session, *, user_id: int) -> int:
    """End every live session of a user (a new password, a deactivated account)."""
    result = session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_ended(session: Session, *, older_than: timedelta) -> int:
    """Forget sessions ended or expired long ago (run daily with `fundflow db purge`)."""
    cutoff = utcnow() - older_than
    result = session.execute(
        sa.delete(AuthSession).where(
            sa.or_(col(AuthSession.ended_at) < cutoff, col(AuthSession.expires_at) < cutoff)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
