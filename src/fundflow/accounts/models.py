from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from fundflow.core.dbtypes import UTCDateTime, created_at_field, enum_column
from fundflow.core.roles import Role


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased; the login compares lower-cased too.
    email: str = Field(max_length=254, unique=True)
    full_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=300)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    funder_id: int | None = Field(default=None, foreign_key="funder.id", index=True)
    language: Language = Field(default=Language.FR, sa_column=enum_column(Language))
    is_active: bool = True
    version: int = 1
    created_at: datetime = created_at_field()

    role_rows: list["UserRole"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"}
    )

    @property
    def roles(self) -> list[Role]:
        return sorted((row.role for row in self.role_rows), key=list(Role).index)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"

    # Set by the relationship when the role is attached to its user.
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", primary_key=True, ondelete="CASCADE"
    )
    role: Role = Field(sa_column=enum_column(Role, primary_key=True))


class SignInThrottle(SQLModel, table=True):
    """Recent failed sign-ins under one counter: a client address, or a client address and
    an e-mail address together (see ``accounts.throttle``)."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=400)
    failures: int = 0
    last_failed_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    locked_until: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))


class SessionKind(StrEnum):
    API = "api"
    BROWSER = "browser"


class SessionRestriction(StrEnum):
    """What a session still awaits before it admits anything else."""

    # The password was right; the browser is asked for the second factor's code.
    SECOND_FACTOR = "second_factor"
    # The person's role requires a second factor they have not set up, and the grace
    # period is over: only setting it up (and signing out) is open.
    ENROLMENT = "enrolment"


class AuthSession(SQLModel, table=True):
    """One sign-in: every token issued for it names it, and it can be ended (sign-out, a
    new password, a deactivated account), which ends the token with it."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    kind: SessionKind = Field(default=SessionKind.API, sa_column=enum_column(SessionKind))
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    client_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    # A browser session: the SHA-256 of the opaque id its cookie holds (the id itself is
    # never stored), and when it was last used, for the idle timeout.
    token_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    last_seen_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    restriction: SessionRestriction | None = Field(
        default=None, sa_column=enum_column(SessionRestriction, nullable=True)
    )


class TwoFactor(SQLModel, table=True):
    """A person's authenticator app (TOTP, RFC 6238): set up when ``confirmed_at`` is set,
    that is once a first code from the app was accepted."""

    __tablename__ = "two_factor"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    # Base32, as the authenticator apps take it. It must be readable to check a code, as
    # in every TOTP server; the database's backups are guarded like the database.
    secret: str = Field(max_length=64)
    created_at: datetime = created_at_field()
    confirmed_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
    # The 30-second step of the last code accepted: a code (or an older one) works once.
    last_step: int = Field(default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False))


class RecoveryCode(SQLModel, table=True):
    """One of the ten codes that stand in for a lost phone, each good once. Only its
    SHA-256 is kept: a code carries 80 random bits, beyond guessing from the digest."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    used_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))


class PasswordReset(SQLModel, table=True):
    """A one-time link to choose a password: after "forgotten password", or to activate an
    invited account. Only the link's hash is kept; it works once, and not for long."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime()))
