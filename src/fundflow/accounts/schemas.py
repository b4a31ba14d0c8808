from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from fundflow.accounts.models import Language
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
