"""Typed dependencies shared by every router."""

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from fundflow.core.config import Settings, get_settings
from fundflow.core.request_sessions import get_session

# scope="function": the commit happens before the response is sent, so a failed commit
# can never be answered with a 200.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def settings() -> Settings:
    # async: a plain function would cost each request a hop to the thread pool.
    return get_settings()


SettingsDep = Annotated[Settings, Depends(settings)]
