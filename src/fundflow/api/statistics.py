from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query

from fundflow.api.deps import require_roles
from fundflow.cofinancing.policies import money_rows_of, require_own_funder
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.formats import (
    XLSX_MEDIA_TYPE,
    TableFormat,
    TableFormatQuery,
    table_response,
)
from fundflow.core.inputs import Id
from fundflow.core.reference import CurrencyCode
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.statistics.funding import (
    REPORTING_CURRENCY,
    as_table,
    funding_statistics,
    parse_dimensions,
    rates_table,
)
from fundflow.statistics.monitoring import as_table as monitoring_table
from fundflow.statistics.monitoring import monitoring_statistics
from fundflow.statistics.schemas import Dimension, FundingStatistics

router = api_router(tags=["statistics"])
Reader = Annotated[Actor, Depends(require_roles(Role.SECRETARIAT, Role.AUTHORITY))]


@router.get(
    "/stats/funding",
    response_model=FundingStatistics,
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
def funding(
    session: SessionDep,
    actor: Reader,
    group_by: Annotated[
        list[str],
        Query(
            description="One or two of: " + ", ".join(Dimension) + " (repeated, or comma-separated)"
        ),
    ] = [],  # noqa: B006 - FastAPI copies the default
    year: Annotated[Id | None, Query(ge=2000, le=2100)] = None,
    call_id: Annotated[Id | None, Query()] = None,
    funder_id: Annotated[Id | None, Query()] = None,
    submitted_from: Annotated[datetime | None, Query()] = None,
    submitted_to: Annotated[datetime | None, Query()] = None,
    currency: Annotated[
        CurrencyCode, Query(description="The reporting currency of every amount")
    ] = REPORTING_CURRENCY,
    rates_on: Annotated[
        date | None, Query(description="The day whose rates convert other currencies (today)")
    ] = None,
    export: TableFormatQuery = TableFormat.JSON,
    bom: Annotated[bool, Query(description="CSV: start with a UTF-8 BOM")] = True,
) -> Any:
    """Requested, granted, committed and disbursed amounts, proposals, approvals and the
    success rate, grouped by one or two dimensions, with a totals row. Amounts are in
    `currency` (CHF unless asked): those of calls in another currency are converted at the
    rates of `rates_on`, listed in `rates` (and on the XLSX's second sheet); 422
    `exchange_rate_missing` when one is not recorded. Each amount column of the CSV and
    XLSX names its currency."""
    dimensions = parse_dimensions(group_by)
    require_own_funder(actor, funder_id)
    result = funding_statistics(
        session,
        group_by=dimensions,
        year=year,
        call_id=call_id,
        funder_id=funder_id,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        rows_for_funder=money_rows_of(actor),
        currency=currency,
        rates_on=rates_on,
    )
    if export == TableFormat.JSON:
        return result
    header, rows = as_table(result)
    return table_response(
        export, header, rows, name="funding", bom=bom, more_sheets=[rates_table(result)]
    )


@router.get(
    "/stats/monitoring", responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}}
)
def monitoring(
    session: SessionDep,
    actor: Reader,
    year: Annotated[Id | None, Query(ge=2000, le=2100)] = None,
    call_id: Annotated[Id | None, Query()] = None,
    export: TableFormatQuery = TableFormat.JSON,
    bom: Annotated[bool, Query(description="CSV: start with a UTF-8 BOM")] = True,
) -> Any:
    """Projects by state, reports due / overdue / submitted / approved, indicator progress
    per priority, and unused funds (refunds due, received, waived). A funder's staff see
    the projects their funder co-finances."""
    result = monitoring_statistics(
        session,
        today=utcnow().date(),
        year=year,
        call_id=call_id,
        funder_id=money_rows_of(actor),
    )
    if export == TableFormat.JSON:
        return result
    header, rows = monitoring_table(result)
    return table_response(export, header, rows, name="monitoring", bom=bom)
