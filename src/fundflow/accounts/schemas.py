from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from fundflow.accounts.models import Language, SessionKind
from fundflow.core.inputs import Id
from fundflow.core.passwords import MIN_PASSWORD_LENGTH
from fundflow.core.roles import Role

Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    roles: list[Role]
    organisation_id: Id | None
    funder_id: Id | None
    language: Language
    is_active: bool
    version: int


class SignInSessionPublic(BaseModel):
    """A sign-in of the caller's: a browser, or an API token, until it ends or expires."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: SessionKind
    created_at: datetime
    last_seen_at: datetime | None = Field(description="A browser's last request")
    expires_at: datetime
    client_address: str | None
    user_agent: str | None
    current: bool = Field(description="The session this request was made with")


class SessionsEnded(BaseModel):
    ended: int = Field(description="How many live sessions were ended")


class TwoFactorStatus(BaseModel):
    """Whether the caller's sign-in asks for an authenticator app's code."""

    model_config = ConfigDict(from_attributes=True)

    set_up: bool = Field(description="A code is asked at every sign-in")
    confirmed_at: datetime | None
    pending: bool = Field(description="A secret was drawn and awaits its first code")
    required: bool = Field(description="The caller's role requires a second factor")
    due_at: datetime | None = Field(
        description="When a required second factor not set up yet must be, to sign in further"
    )
    recovery_codes_left: int


class TwoFactorEnrolment(BaseModel):
    """A secret for the caller's authenticator app: scan the QR code, or type the secret."""

    secret: str = Field(description="Base32, for typing into the app")
    otpauth_uri: str
    qr_svg: str = Field(description="The otpauth address as a QR code (SVG)")


OtpCode = Annotated[str, Field(min_length=6, max_length=40)]


class OtpIn(BaseModel):
    code: OtpCode = Field(description="The code the app shows now, or a recovery code")


class RecoveryCodes(BaseModel):
    """Shown once: each stands in for the app at one sign-in. Keep them somewhere safe."""

    codes: list[str]
