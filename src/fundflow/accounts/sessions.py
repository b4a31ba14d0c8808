"""Signed-in sessions: opened at sign-in, looked up on every request, ended at will.

A token is only as good as its session: ending the session (sign-out, a new password, a
deactivated account) ends every token issued for it on the next request.
"""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.accounts.models import AuthSession, SessionKind, SessionRestriction, User, UserRole
from fundflow.core.actor import Actor
from fundflow.core.config import Settings
from fundflow.core.dbtypes import UTCDateTime, utcnow
from fundflow.core.errors import not_found
from fundflow.core.fixed_statements import FixedSelect, param
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.tokens import access_token_lifetime, issue_access_token


def open_session(
    session: Session,
    *,
    user: User,
    lifetime: timedelta,
    client_address: str | None = None,
    user_agent: str | None = None,
    restriction: SessionRestriction | None = None,
) -> AuthSession:
    assert user.id is not None
    now = utcnow()
    row = AuthSession(
        user_id=user.id,
        created_at=now,
        expires_at=now + lifetime,
        client_address=(client_address or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
        restriction=restriction,
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
    restriction: SessionRestriction | None = None,
) -> tuple[str, int]:
    """Open an API session for ``user`` and return its bearer token and lifetime (s)."""
    assert user.id is not None
    opened = open_session(
        session,
        user=user,
        lifetime=access_token_lifetime(settings),
        client_address=client_address,
        user_agent=user_agent,
        restriction=restriction,
    )
    assert opened.id is not None
    return issue_access_token(settings, user_id=user.id, session_id=opened.id)


def _signed_in_statement() -> Any:
    return (
        sa.select(
            col(User.id),
            col(User.organisation_id),
            col(User.funder_id),
            sa.func.aggregate_strings(col(UserRole.role), ",").label("roles"),
            col(AuthSession.restriction),
        )
        .join(AuthSession, col(AuthSession.user_id) == col(User.id))
        .outerjoin(UserRole, col(UserRole.user_id) == col(User.id))
        .where(
            col(AuthSession.id) == param("session_id"),
            col(User.id) == param("user_id"),
            col(User.is_active).is_(True),
            col(AuthSession.ended_at).is_(None),
            col(AuthSession.expires_at) > param("now"),
        )
        .group_by(
            col(User.id),
            col(User.organisation_id),
            col(User.funder_id),
            col(AuthSession.restriction),
        )
    )


_SIGNED_IN = FixedSelect(
    _signed_in_statement,
    params={"session_id": sa.Integer(), "user_id": sa.Integer(), "now": UTCDateTime()},
)


def signed_in_actor(
    session: Session, *, user_id: int, session_id: int
) -> tuple[Actor, SessionRestriction | None] | None:
    """The actor of an active user's live session, roles included, and what the session
    still awaits if anything, in one statement (every request asks it, so it is a fixed
    statement, runs on the session's connection and builds no ORM object); None for
    anything else."""
    rows = _SIGNED_IN.rows(
        session.connection(), {"session_id": session_id, "user_id": user_id, "now": utcnow()}
    )
    if not rows:
        return None
    found_id, organisation_id, funder_id, roles, restriction = rows[0].values()
    actor = Actor(
        id=found_id,
        roles=frozenset(roles.split(",") if roles else ()),
        organisation_id=organisation_id,
        funder_id=funder_id,
    )
    return actor, SessionRestriction(restriction) if restriction else None


def end_session(session: Session, *, session_id: int) -> None:
    session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )


def lift_restriction(session: Session, *, session_id: int) -> None:
    """The session awaits nothing more (its second factor was set up)."""
    session.execute(
        sa.update(AuthSession).where(col(AuthSession.id) == session_id).values(restriction=None)
    )


def end_all_sessions(session: Session, *, user_id: int, keep_session_id: int | None = None) -> int:
    """End every live session of a user (a new password, a deactivated account, "sign out
    everywhere"), but ``keep_session_id`` when given (the one asking)."""
    ending = sa.update(AuthSession).where(
        col(AuthSession.user_id) == user_id, col(AuthSession.ended_at).is_(None)
    )
    if keep_session_id is not None:
        ending = ending.where(col(AuthSession.id) != keep_session_id)
    result = session.execute(ending.values(ended_at=utcnow()))
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


def live(settings: Settings, now: datetime) -> sa.ColumnElement[bool]:
    """Sessions that still admit a request at ``now``: not ended, not expired, and for a
    browser used within ``browser_idle_minutes`` (the one rule, for the sign-in and for
    the list of a person's sessions)."""
    idle_since = now - timedelta(minutes=settings.browser_idle_minutes)
    return sa.and_(
        col(AuthSession.ended_at).is_(None),
        col(AuthSession.expires_at) > now,
        sa.or_(
            col(AuthSession.kind) != SessionKind.BROWSER,
            col(AuthSession.last_seen_at) > idle_since,
        ),
    )


def live_sessions(
    session: Session, *, user_id: int, settings: Settings, page: PageParams
) -> tuple[list[AuthSession], str | None]:
    """The user's live sessions, oldest first: API tokens and browsers, when and from
    where they were opened."""
    statement = sa.select(AuthSession).where(
        col(AuthSession.user_id) == user_id, live(settings, utcnow())
    )
    rows, cursor = fetch_page(session, statement, col(AuthSession.id), page, whole_rows=True)
    return [row[0] for row in rows], cursor


def end_own_session(session: Session, *, user_id: int, session_id: int) -> None:
    """End one of the user's own sessions (ending one already ended changes nothing);
    404 for a session that is not theirs."""
    owner = session.scalar(
        sa.select(col(AuthSession.user_id)).where(col(AuthSession.id) == session_id)
    )
    if owner != user_id:
        raise not_found("Sign-in session", session_id)
    end_session(session, session_id=session_id)
