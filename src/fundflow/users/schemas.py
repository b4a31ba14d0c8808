from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from fundflow.accounts.models import Language
from fundflow.accounts.schemas import Password
from fundflow.core.inputs import Id, Patch, Version
from fundflow.core.roles import Role


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
