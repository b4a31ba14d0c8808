"""Sessions of people signed in with a browser: an opaque id in a cookie, a row here.

The cookie holds a random id; the database keeps only its SHA-256, so a copy of the
database signs nobody in. A session ends when its person signs out, after an idle time
without a request, or at an absolute limit, whichever comes first; like an API session it
also ends with a new password or a deactivated account.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.accounts.models import AuthSession, SessionKind, SessionRestriction, User
from fundflow.accounts.service import actor_of
from fundflow.accounts.sessions import live
from fundflow.core.actor import Actor
from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.tokens import digest_of, new_opaque_token

# The last use is written at most this often: a page view is not a write.
TOUCH_EVERY = timedelta(minutes=1)
# A session that awaits its second factor's code lives this long at most.
SECOND_STEP_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class BrowserSignIn:
    user: User
    actor: Actor
    session_id: int
    # When the session ends if nothing more is asked (idle), and at the latest (absolute).
    idle_until: datetime
    last_seen_at: datetime
    restriction: SessionRestriction | None = None


def open_browser_session(
    session: Session,
    settings: Settings,
    *,
    user: User,
    client_address: str | None,
    user_agent: str | None,
    restriction: SessionRestriction | None = None,
) -> str:
    """A new session for ``user``; returns the id for the cookie (a new one at every
    sign-in, and at its second step, so an id planted before is worth nothing after)."""
    assert user.id is not None
    token = new_opaque_token()
    now = utcnow()
    lifetime = (
        SECOND_STEP_LIFETIME
        if restriction == SessionRestriction.SECOND_FACTOR
        else timedelta(hours=settings.browser_session_hours)
    )
    session.add(
        AuthSession(
            user_id=user.id,
            kind=SessionKind.BROWSER,
            created_at=now,
            expires_at=now + lifetime,
            restriction=restriction,
            last_seen_at=now,
            token_hash=digest_of(token),
            client_address=(client_address or "")[:64] or None,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    session.flush()
    return token


def browser_sign_in(session: Session, settings: Settings, token: str) -> BrowserSignIn | None:
    """Who holds this cookie, if its session is live (not ended, not past its absolute
    limit, used within the idle time) and its account active; None otherwise. One
    statement, and one more for the account's roles."""
    if not token or len(token) > 100:
        return None
    now = utcnow()
    idle = timedelta(minutes=settings.browser_idle_minutes)
    found = session.exec(
        select(AuthSession, User)
        .join(User, col(User.id) == col(AuthSession.user_id))
        .where(
            col(AuthSession.token_hash) == digest_of(token),
            col(AuthSession.kind) == SessionKind.BROWSER,
            live(settings, now),
            col(User.is_active).is_(True),
        )
    ).first()
    if found is None:
        return None
    row, user = found
    assert row.id is not None and row.last_seen_at is not None  # set for every browser session
    return BrowserSignIn(
        user,
        actor_of(user),
        row.id,
        row.last_seen_at + idle,
        row.last_seen_at,
        row.restriction,
    )


def needs_touch(sign_in: BrowserSignIn) -> bool:
    return utcnow() - sign_in.last_seen_at >= TOUCH_EVERY


def touch(session: Session, *, session_id: int) -> None:
    """Note a use of the session (its idle time starts again)."""
    session.execute(
        sa.update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.ended_at).is_(None))
        .values(last_seen_at=utcnow())
    )
