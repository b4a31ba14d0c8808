"""What every request's input must be, whatever the field: text that says something,
no NUL characters, and partial updates that never null a required value."""

import re
from typing import Annotated, Any, ClassVar

from annotated_types import Interval
from fastapi import Request
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator

from fundflow.core.errors import InvalidInput


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


# Text a person must write: three spaces are not a title.
NonBlank = Annotated[str, AfterValidator(_not_blank)]


class Patch(BaseModel):
    """A partial update: a field left out stays as it is; ``null`` clears a field, which
    only the fields named in ``clearable`` may be (the others always hold a value)."""

    model_config = ConfigDict(extra="forbid")
    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _required_value_stays(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable | {"version"}:
            raise ValueError("cannot be cleared: leave it out to keep its value")
        return value


# A NUL character in JSON text (\u0000 not itself escaped), raw, or in a query or form
# field: PostgreSQL refuses it in text, and SQLite would keep data that could not move to
# PostgreSQL.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00", re.IGNORECASE)
_URL_NUL = re.compile(r"%00|\x00")


async def reject_nul_characters(request: Request) -> None:
    where = None
    if _URL_NUL.search(request.url.query) or _URL_NUL.search(request.url.path):
        where = "the address"
    else:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            form = await request.form()  # already parsed for the route, kept by the request
            if any(isinstance(v, str) and "\x00" in v for _, v in form.multi_items()):
                where = "a form field"
        elif media == "application/json" or media.endswith("+json"):
            if _JSON_NUL.search(await request.body()):
                where = "the request body"
    if where is not None:
        raise InvalidInput(f"Text may not contain NUL characters (found in {where}).")


# Ids and versions fit the database's integer columns (32 bits on PostgreSQL): a larger
# number names nothing, and must be refused before it reaches a query.
MAX_ID = 2**31 - 1
Id = Annotated[int, Interval(ge=1, le=MAX_ID)]
Version = Annotated[int, Interval(ge=0, le=MAX_ID)]
