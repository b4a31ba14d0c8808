"""The second factor: a code from an authenticator app (TOTP, RFC 6238), or one of ten
recovery codes for a lost phone.

Setting it up takes two steps, so that nobody is locked out by a secret their app never
read: a secret is drawn (shown as a QR code and as text), then the first code the app
gives confirms it and the ten recovery codes are shown, once. A code is accepted once: the
step it belongs to is recorded, and a code of that step or an earlier one is refused after.
Wrong codes count in the sign-in throttle like wrong passwords.
"""

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from fundflow.accounts import throttle
from fundflow.accounts.models import RecoveryCode, SessionRestriction, TwoFactor, User
from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, InvalidInput, Unauthenticated
from fundflow.core.messages import N_
from fundflow.core.tokens import digest_of

ISSUER = "fundflow"
STEP_SECONDS = 30
# The codes of the step before and after the current one are accepted too: a phone's
# clock drifts, and a code read at the end of its step arrives in the next.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Four groups of five among 31 characters that cannot be mistaken for each other (no
# 0/o, 1/l/i): 99 random bits, so the stored SHA-256 cannot be reversed by trying.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 4, 5


@dataclass(frozen=True)
class Enrolment:
    """A secret drawn for a person's app, waiting for its first code."""

    secret: str
    uri: str

    def qr_svg(self, title: str) -> str:
        """The ``otpauth://`` address as a QR code, an SVG drawn here (no third party
        ever sees the secret)."""
        return str(
            segno.make(self.uri, error="m").svg_inline(
                scale=5, border=2, title=title, svgclass="qr-code", lineclass=None
            )
        )


@dataclass(frozen=True)
class Status:
    set_up: bool
    confirmed_at: datetime | None
    pending: bool
    required: bool
    # When a required second factor must be set up by, before it is.
    due_at: datetime | None
    recovery_codes_left: int


def is_required(roles: Iterable[str], settings: Settings) -> bool:
    return any(role in settings.two_factor_required_roles for role in roles)


def _confirmed(session: Session, user_id: int) -> TwoFactor | None:
    row = session.get(TwoFactor, user_id)
    return row if row is not None and row.confirmed_at is not None else None


def is_set_up(session: Session, user_id: int) -> bool:
    return _confirmed(session, user_id) is not None


def status_of(session: Session, user: User, settings: Settings) -> Status:
    assert user.id is not None
    row = session.get(TwoFactor, user.id)
    set_up = row is not None and row.confirmed_at is not None
    required = is_required(user.roles, settings)
    left = session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(col(RecoveryCode.user_id) == user.id, col(RecoveryCode.used_at).is_(None))
    )
    return Status(
        set_up=set_up,
        confirmed_at=row.confirmed_at if row else None,
        pending=row is not None and not set_up,
        required=required,
        due_at=_due_at(user, settings) if required and not set_up else None,
        recovery_codes_left=int(left or 0),
    )


def _due_at(user: User, settings: Settings) -> datetime:
    return user.created_at + timedelta(days=settings.two_factor_grace_days)


def restriction_at_sign_in(
    session: Session, user: User, settings: Settings
) -> SessionRestriction | None:
    """A session opened now admits only setting up the second factor when the person's
    role requires one, they have none, and their grace period is over."""
    assert user.id is not None
    if not is_required(user.roles, settings) or is_set_up(session, user.id):
        return None
    return SessionRestriction.ENROLMENT if utcnow() >= _due_at(user, settings) else None


def begin(session: Session, user: User) -> Enrolment:
    """Draw a new secret for the person's app (again, if an earlier one was never
    confirmed); 409 when a second factor is already set up."""
    assert user.id is not None
    row = session.get(TwoFactor, user.id)
    if row is not None and row.confirmed_at is not None:
        raise Conflict(
            N_("A second factor is already set up; turn it off first to set up another phone.")
        )
    secret = pyotp.random_base32()
    if row is None:
        row = TwoFactor(user_id=user.id, secret=secret)
    else:
        row.secret, row.created_at, row.last_step = secret, utcnow(), 0
    session.add(row)
    session.flush()
    return _enrolment(row, user)


def pending(session: Session, user: User) -> Enrolment | None:
    """The secret drawn and not confirmed yet (a page shown again shows the same one)."""
    assert user.id is not None
    row = session.get(TwoFactor, user.id)
    return _enrolment(row, user) if row is not None and row.confirmed_at is None else None


def _enrolment(row: TwoFactor, user: User) -> Enrolment:
    uri = pyotp.TOTP(row.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(row.secret, uri)


def confirm(session: Session, user: User, code: str) -> list[str]:
    """Accept the app's first code: the second factor is set up, and the ten recovery
    codes are returned (the only time they can be read)."""
    assert user.id is not None
    row = session.get(TwoFactor, user.id)
    if row is None or row.confirmed_at is not None:
        raise Conflict(N_("There is no second factor being set up: start again."))
    step = _matching_step(row.secret, _normalised(code), after=0)
    if step is None:
        raise InvalidInput(
            N_("This is not the code your app shows for fundflow; check its clock and try again.")
        )
    row.confirmed_at, row.last_step = utcnow(), step
    session.add(row)
    return _new_recovery_codes(session, user.id)


def renew_recovery_codes(session: Session, user: User, code: str) -> list[str]:
    """Ten new recovery codes for a current code; the old ones stop working."""
    assert user.id is not None
    _require_code(session, user.id, code)
    return _new_recovery_codes(session, user.id)


def turn_off(session: Session, user: User, code: str, settings: Settings) -> None:
    """Remove the second factor, for a current code; refused when the role requires one."""
    assert user.id is not None
    if is_required(user.roles, settings):
        raise Conflict(N_("Your role requires a second factor: it cannot be turned off."))
    _require_code(session, user.id, code)
    remove(session, user_id=user.id)


def remove(session: Session, *, user_id: int) -> None:
    """Forget a person's second factor and recovery codes (a lost phone, reset by an
    administrator)."""
    session.execute(sa.delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.execute(sa.delete(TwoFactor).where(col(TwoFactor.user_id) == user_id))


def _require_code(session: Session, user_id: int, code: str) -> None:
    if _confirmed(session, user_id) is None:
        raise Conflict(N_("No second factor is set up."))
    if not accept(session, user_id=user_id, code=code):
        raise InvalidInput(N_("This code is not right, or it was used already."))


def check_at_sign_in(
    session: Session,
    user: User,
    code: str,
    counters: list[throttle.Counter],
    settings: Settings,
) -> None:
    """A sign-in's second step: a wrong or replayed code counts as a failed sign-in."""
    assert user.id is not None
    now = utcnow()
    throttle.ensure_not_locked(session, counters, now=now)
    if accept(session, user_id=user.id, code=code, now=now):
        return
    throttle.record_failure(session, counters, now=now, settings=settings)
    # The failure must outlive the refusal, which rolls the request's transaction back.
    session.commit()
    raise Unauthenticated(N_("This code is not right, or it was used already."))


def accept(session: Session, *, user_id: int, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is a current TOTP code not used before, or an unused recovery
    code, of the person's; either is used up by being accepted. The use is recorded by a
    conditional update, so that two requests with one code cannot both pass."""
    normal = _normalised(code)
    moment = now or utcnow()
    if normal.isdigit() and len(normal) == 6:
        row = _confirmed(session, user_id)
        if row is None:
            return False
        step = _matching_step(row.secret, normal, after=row.last_step, now=moment)
        if step is None:
            return False
        used = session.execute(
            sa.update(TwoFactor)
            .where(col(TwoFactor.user_id) == user_id, col(TwoFactor.last_step) < step)
            .values(last_step=step)
            .execution_options(synchronize_session=False)
        )
        session.expire(row)
        return bool(used.rowcount)  # type: ignore[attr-defined]
    if len(normal) != _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH:
        return False
    used = session.execute(
        sa.update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == digest_of(normal),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=moment)
    )
    return bool(used.rowcount)  # type: ignore[attr-defined]


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())[:40]


def _matching_step(
    secret: str, code: str, *, after: int, now: datetime | None = None
) -> int | None:
    """The time step whose code ``code`` is, among the current one and its neighbours,
    if later than ``after``."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = totp.timecode(now or utcnow())
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(sa.delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=digest_of(_normalised(code))))
    session.flush()
    return codes


def _recovery_code() -> str:
    return "-".join(
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
        for _ in range(_RECOVERY_GROUPS)
    )
