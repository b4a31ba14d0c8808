from typing import Annotated

from fastapi import APIRouter, Query

from fundflow.core.deps import SessionDep
from fundflow.core.pagination import Page, PageDep
from fundflow.core.reference import CountryCode
from fundflow.transparency import service
from fundflow.transparency.schemas import PublicProject

router = APIRouter(tags=["public"])


@router.get("/public/projects", response_model=Page[PublicProject])
def public_projects(
    session: SessionDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    country: Annotated[CountryCode | None, Query()] = None,
    priority: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[PublicProject]:
    """Funded projects, for everyone (no authentication): title, association, where,
    amount granted, state, summary and priorities."""
    items, cursor = service.list_public_projects(
        session, page=page, year=year, country=country, priority=priority
    )
    return Page(items=items, next_cursor=cursor)
