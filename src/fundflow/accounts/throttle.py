"""Failed sign-ins: a few are forgiven, more lock the address for a while.

The count lives in the database, so every worker and replica sees the same lock. A lock
also refuses the right password: otherwise it would only slow the guessing down.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from fundflow.accounts.models import LoginThrottle
from fundflow.core.config import Settings
from fundflow.core.errors import TooManyAttempts


def ensure_not_locked(session: Session, email: str, *, now: datetime) -> None:
    row = session.get(LoginThrottle, email)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        seconds = int((row.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts(
            f"Too many failed sign-ins for this address; try again in "
            f"{-(-seconds // 60)} minute(s).",
            retry_after_seconds=seconds,
        )


def record_failure(session: Session, email: str, *, now: datetime, settings: Settings) -> None:
    """Count one failure; the limit reached, lock the address for the lockout period.

    The count is incremented in SQL, so that parallel attempts cannot overwrite each other's
    failures and slip past the limit."""
    period = timedelta(minutes=settings.login_lockout_minutes)
    row = col(LoginThrottle.email) == email
    counted = sa.case(
        (col(LoginThrottle.last_failed_at) < now - period, 1),
        else_=col(LoginThrottle.failures) + 1,
    )
    failures = session.execute(
        sa.update(LoginThrottle)
        .where(row)
        .values(failures=counted, last_failed_at=now)
        .returning(col(LoginThrottle.failures))
    ).scalar_one_or_none()
    if failures is None:
        try:
            with session.begin_nested():
                session.add(LoginThrottle(email=email, failures=1, last_failed_at=now))
        except IntegrityError:  # another worker counted this new address's first failure
            return record_failure(session, email, now=now, settings=settings)
        failures = 1
    if failures >= settings.login_max_failures:
        session.execute(
            sa.update(LoginThrottle).where(row).values(failures=0, locked_until=now + period)
        )


def forget(session: Session, email: str) -> None:
    session.execute(sa.delete(LoginThrottle).where(col(LoginThrottle.email) == email))


def purge(session: Session, *, now: datetime, settings: Settings) -> int:
    """Forget failures older than the lockout period whose lock, if any, has ended."""
    cutoff = now - timedelta(minutes=settings.login_lockout_minutes)
    result = session.execute(
        sa.delete(LoginThrottle).where(
            col(LoginThrottle.last_failed_at) < cutoff,
            sa.or_(
                col(LoginThrottle.locked_until).is_(None),
                col(LoginThrottle.locked_until) < now,
            ),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
