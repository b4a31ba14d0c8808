from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from fundflow.accounts.deps import require_roles
from fundflow.accounts.models import Role
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep
from fundflow.statistics.funding import funding_statistics, parse_dimensions
from fundflow.statistics.schemas import Dimension, FundingStatistics

router = APIRouter(tags=["statistics"])
Reader = Annotated[Actor, Depends(require_roles(Role.SECRETARIAT, Role.AUTHORITY))]


@router.get("/stats/funding", response_model=FundingStatistics)
def funding(
    session: SessionDep,
    _: Reader,
    group_by: Annotated[
        list[str],
        Query(
            description="One or two of: " + ", ".join(Dimension) + " (repeated, or comma-separated)"
        ),
    ] = [],  # noqa: B006 - FastAPI copies the default
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    call_id: Annotated[int | None, Query()] = None,
    funder_id: Annotated[int | None, Query()] = None,
    submitted_from: Annotated[datetime | None, Query()] = None,
    submitted_to: Annotated[datetime | None, Query()] = None,
) -> FundingStatistics:
    """Requested, granted, committed and disbursed amounts, proposals, approvals and the
    success rate, grouped by one or two dimensions, with a totals row."""
    dimensions = parse_dimensions(group_by)
    return funding_statistics(
        session,
        group_by=dimensions,
        year=year,
        call_id=call_id,
        funder_id=funder_id,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
    )
