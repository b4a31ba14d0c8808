"""Failed sign-ins: a few are forgiven, more lock a counter for a while.

Two counters take each failure, as OWASP's authentication cheat sheet and django-axes
advise: one for the client address and the e-mail address together (guessing one
person's password from one place), with a low limit; one for the client address alone
(one password sprayed over many accounts), with a higher limit. No counter belongs to the
e-mail address alone: anyone could then lock a named person out at will. The client
address is the one the reverse proxy forwards when FUNDFLOW_FORWARDED_ALLOW_IPS trusts it.

The counts live in the database, so every worker and replica sees the same lock. A lock
also refuses the right password: otherwise it would only slow the guessing down.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from fundflow.accounts.models import SignInThrottle
from fundflow.core.config import Settings
from fundflow.core.errors import TooManyAttempts


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int


def counters(client_address: str, email: str, settings: Settings) -> list[Counter]:
    return [
        Counter(f"pair:{client_address}|{email}", settings.login_max_failures),
        Counter(f"address:{client_address}", settings.login_max_failures_per_address),
    ]


def ensure_not_locked(session: Session, keys: list[Counter], *, now: datetime) -> None:
    rows = session.exec(
        select(SignInThrottle).where(col(SignInThrottle.key).in_([c.key for c in keys]))
    ).all()
    until = max(
        (r.locked_until for r in rows if r.locked_until and r.locked_until > now), default=None
    )
    if until is not None:
        seconds = int((until - now).total_seconds()) + 1
        raise TooManyAttempts(
            f"Too many failed sign-ins from here; try again in {-(-seconds // 60)} minute(s).",
            retry_after_seconds=seconds,
        )


def record_failure(
    session: Session, keys: list[Counter], *, now: datetime, settings: Settings
) -> None:
    for counter in keys:
        _count(session, counter, now=now, settings=settings)


def _count(session: Session, counter: Counter, *, now: datetime, settings: Settings) -> None:
    """Count one failure; the limit reached, lock the counter for the lockout period.

    The count is incremented in SQL, so that parallel attempts cannot overwrite each other's
    failures and slip past the limit."""
    period = timedelta(minutes=settings.login_lockout_minutes)
    row = col(SignInThrottle.key) == counter.key
    counted = sa.case(
        (col(SignInThrottle.last_failed_at) < now - period, 1),
        else_=col(SignInThrottle.failures) + 1,
    )
    failures = session.execute(
        sa.update(SignInThrottle)
        .where(row)
        .values(failures=counted, last_failed_at=now)
        .returning(col(SignInThrottle.failures))
    ).scalar_one_or_none()
    if failures is None:
        try:
            with session.begin_nested():
                session.add(SignInThrottle(key=counter.key, failures=1, last_failed_at=now))
        except IntegrityError:  # another worker counted this counter's first failure
            return _count(session, counter, now=now, settings=settings)
        failures = 1
    if failures >= counter.limit:
        session.execute(
            sa.update(SignInThrottle).where(row).values(failures=0, locked_until=now + period)
        )


def forget(session: Session, counter: Counter) -> None:
    session.execute(sa.delete(SignInThrottle).where(col(SignInThrottle.key) == counter.key))


def purge(session: Session, *, now: datetime, settings: Settings) -> int:
    """Forget failures older than the lockout period whose lock, if any, has ended."""
    cutoff = now - timedelta(minutes=settings.login_lockout_minutes)
    result = session.execute(
        sa.delete(SignInThrottle).where(
            col(SignInThrottle.last_failed_at) < cutoff,
            sa.or_(
                col(SignInThrottle.locked_until).is_(None),
                col(SignInThrottle.locked_until) < now,
            ),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
