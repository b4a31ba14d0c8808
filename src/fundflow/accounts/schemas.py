from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from fundflow.accounts.models import Language, Role
from fundflow.core.inputs import Id, Patch, Version
from fundflow.core.passwords import MIN_PASSWORD_LENGTH

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


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    full_name: str = Field(default="", max_length=200)
    password: Password
    roles: list[Role] = Field(min_length=1)
    organisation_id: Id | None = None
    funder_id: Id | None = None
    language: Language = Language.FR

    @field_validator("roles")
    @classmethod
    def _distinct(cls, roles: list[Role]) -> list[Role]:
        return sorted(set(roles), key=list(Role).index)


class UserUpdate(Patch):
    clearable = frozenset({"organisation_id", "funder_id"})

    full_name: str | None = Field(default=None, max_length=200)
    password: Password | None = None
    roles: list[Role] | None = Field(default=None, min_length=1)
    organisation_id: Id | None = None
    funder_id: Id | None = None
    language: Language | None = None
    is_active: bool | None = None
    version: Version | None = None
