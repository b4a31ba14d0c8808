"""Funding statistics, grouped in SQL: one fact row per submitted proposal (requested,
granted, confirmed commitments, disbursements), then grouped by the dimensions asked."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict, Unpack

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.calls.models import Call, CallPriority
from fundflow.cofinancing.models import Commitment, CommitmentStatus, Disbursement
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import InvalidInput
from fundflow.core.money import ZERO, converted_to_cents, format_amount
from fundflow.funders import rates
from fundflow.funders.models import Funder
from fundflow.funders.schemas import ExchangeRateUsed
from fundflow.organisations.models import Organisation
from fundflow.projects.models import Project
from fundflow.proposals.models import (
    FinancingLine,
    FinancingSource,
    Proposal,
    ProposalPriority,
)
from fundflow.statistics.schemas import Dimension, FundingStatistics

MEASURES = ("requested", "granted", "committed", "disbursed")
# Figures across calls in several currencies are given in one, CHF unless asked.
REPORTING_CURRENCY = "CHF"
COLUMNS = (*MEASURES, "proposals", "approved", "success_rate")


def _fact(
    year: int | None,
    call_id: int | None,
    submitted_from: datetime | None,
    submitted_to: datetime | None,
) -> Any:
    """One row per submitted proposal; each amount is pre-aggregated once per proposal or
    project and joined, never computed row by row."""
    requested = (
        sa.select(
            col(FinancingLine.proposal_id).label("proposal_id"),
            sa.func.sum(col(FinancingLine.amount)).label("amount"),
        )
        .where(col(FinancingLine.source) == FinancingSource.REQUESTED)
        .group_by(col(FinancingLine.proposal_id))
        .subquery("requested")
    )
    committed = (
        sa.select(
            col(Commitment.project_id).label("project_id"),
            sa.func.sum(col(Commitment.amount)).label("amount"),
        )
        .where(col(Commitment.status) == CommitmentStatus.CONFIRMED)
        .group_by(col(Commitment.project_id))
        .subquery("committed")
    )
    disbursed = (
        sa.select(
            col(Disbursement.project_id).label("project_id"),
            sa.func.sum(col(Disbursement.amount)).label("amount"),
        )
        .group_by(col(Disbursement.project_id))
        .subquery("disbursed")
    )
    stmt: Any = (
        sa.select(
            col(Proposal.id).label("proposal_id"),
            col(Proposal.call_id).label("call_id"),
            col(Project.id).label("project_id"),
            col(Proposal.organisation_id).label("organisation_id"),
            col(Proposal.country).label("country"),
            col(Call.currency).label("currency"),
            sa.func.coalesce(requested.c.amount, ZERO).label("requested"),
            sa.func.coalesce(col(Project.granted_amount), ZERO).label("granted"),
            sa.func.coalesce(committed.c.amount, ZERO).label("committed"),
            sa.func.coalesce(disbursed.c.amount, ZERO).label("disbursed"),
            sa.case((col(Project.id).is_not(None), 1), else_=0).label("approved"),
        )
        .select_from(Proposal)
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .outerjoin(requested, requested.c.proposal_id == col(Proposal.id))
        .outerjoin(Project, col(Project.proposal_id) == col(Proposal.id))
        .outerjoin(committed, committed.c.project_id == col(Project.id))
        .outerjoin(disbursed, disbursed.c.project_id == col(Project.id))
        .where(col(Proposal.submitted_at).is_not(None))
    )
    if year is not None:
        stmt = stmt.where(col(Call.year) == year)
    if call_id is not None:
        stmt = stmt.where(col(Proposal.call_id) == call_id)
    if submitted_from is not None:
        stmt = stmt.where(col(Proposal.submitted_at) >= submitted_from)
    if submitted_to is not None:
        stmt = stmt.where(col(Proposal.submitted_at) < submitted_to)
    return stmt.cte("fact")


def _per_funder(funder_id: int | None) -> Any:
    """Confirmed commitments per project and funder: one row each, so a project counts once
    in a funder's row even when two of its envelopes fund it."""
    stmt: Any = (
        sa.select(
            col(Commitment.project_id).label("project_id"),
            col(Commitment.funder_id).label("funder_id"),
            sa.func.sum(col(Commitment.amount)).label("committed"),
            sa.func.sum(col(Commitment.disbursed)).label("disbursed"),
        )
        .where(col(Commitment.status) == CommitmentStatus.CONFIRMED)
        .group_by(col(Commitment.project_id), col(Commitment.funder_id))
    )
    if funder_id is not None:
        stmt = stmt.where(col(Commitment.funder_id) == funder_id)
    return stmt.subquery("per_funder")


def _keys(fact: Any, dimension: Dimension, per_funder: Any) -> list[tuple[str, Any]]:
    return {
        Dimension.PRIORITY: [
            ("priority", col(CallPriority.code)),
            ("priority_label", col(CallPriority.label)),
        ],
        Dimension.FUNDER: [("funder_id", per_funder.c.funder_id), ("funder", col(Funder.name))],
        Dimension.CALL: [("call_id", fact.c.call_id), ("call", col(Call.title))],
        Dimension.YEAR: [("year", col(Call.year))],
        Dimension.COUNTRY: [("country", fact.c.country)],
        Dimension.ORGANISATION: [
            ("organisation_id", fact.c.organisation_id),
            ("organisation", col(Organisation.name)),
        ],
        Dimension.DIASPORA_LED: [("diaspora_led", col(Organisation.is_diaspora_led))],
    }[dimension]


def _row(keys: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """One row of figures: its amounts (exact sums in the reporting currency) to the cent,
    half to even, as every converted amount is."""
    proposals, approved = int(values["proposals"]), int(values["approved"] or 0)
    rate = (
        (Decimal(approved) / proposals).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if proposals
        else None
    )
    return {
        **keys,
        **{m: format_amount(converted_to_cents(values[m] or ZERO)) for m in MEASURES},
        "proposals": proposals,
        "approved": approved,
        "success_rate": None if rate is None else f"{rate}",
    }


class FundingFilters(TypedDict, total=False):
    year: int | None
    call_id: int | None
    funder_id: int | None
    submitted_from: datetime | None
    submitted_to: datetime | None
    rows_for_funder: int | None


def funding_statistics(
    session: Session,
    *,
    group_by: list[Dimension],
    currency: str = REPORTING_CURRENCY,
    rates_on: date | None = None,
    **filters: Unpack[FundingFilters],
) -> FundingStatistics:
    """The figures of ``funding_statements`` in ``currency``: the sums of each group are
    read per call currency and converted at the rates of ``rates_on`` (today unless
    given), which are listed with the figures; 422 when one is missing."""
    day = rates_on or utcnow().date()
    grouped, totals_query, names = funding_statements(
        group_by=group_by, one_currency=single_currency(session), **filters
    )
    to_reporting = rates.ToCurrency(session, currency, day)
    rows = _merged(session.execute(grouped) if names else [], names, to_reporting)
    if names and rows_partition(group_by, filters):
        # Every proposal in exactly one row: the totals are the rows' sums (exact before
        # rounding), without a second pass over the proposals.
        totals = _summed(row for _, row in rows)
    else:
        merged = _merged(session.execute(totals_query), [], to_reporting)
        totals = merged[0][1] if merged else _summed(())
    return FundingStatistics(
        group_by=group_by,
        currency=currency,
        rates_on=day,
        rates=[ExchangeRateUsed.model_validate(used) for used in to_reporting.used],
        rows=[_row(dict(zip(names, keys, strict=True)), row) for keys, row in rows],
        totals=_row({}, totals),
    )


# Grouped by these, a proposal may stand in several rows (two priorities, two funders).
OVERLAPPING = frozenset({Dimension.PRIORITY, Dimension.FUNDER})


def rows_partition(group_by: list[Dimension], filters: FundingFilters) -> bool:
    """Whether the grouped rows hold every proposal counted in the totals exactly once:
    no overlapping dimension, and no funder narrowing the rows but not the totals."""
    return (
        not OVERLAPPING.intersection(group_by)
        and filters.get("funder_id") is None
        and filters.get("rows_for_funder") is None
    )


def _summed(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = dict.fromkeys(MEASURES, ZERO) | {"proposals": 0, "approved": 0}
    for row in rows:
        for name in total:
            total[name] += row[name]
    return total


def single_currency(session: Session) -> str | None:
    """The currency of every call, when they share one (then nothing is grouped by it)."""
    found = session.execute(sa.select(col(Call.currency)).distinct().limit(2)).scalars().all()
    return found[0] if len(found) == 1 else None


def _merged(
    rows: Iterable[Any], names: list[str], convert: rates.ToCurrency
) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """The rows of one group in several call currencies as one row in the reporting
    currency (the rows come ordered by group, then currency)."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        values = row._mapping
        keys = tuple(values[name] for name in names)
        into = merged.setdefault(
            keys, dict.fromkeys(MEASURES, ZERO) | {"proposals": 0, "approved": 0}
        )
        for measure in MEASURES:
            into[measure] += convert.exactly(values[measure] or ZERO, values["currency"])
        into["proposals"] += int(values["proposals"] or 0)
        into["approved"] += int(values["approved"] or 0)
    return list(merged.items())


def funding_statements(
    *,
    group_by: list[Dimension],
    year: int | None = None,
    call_id: int | None = None,
    funder_id: int | None = None,
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
    rows_for_funder: int | None = None,
    one_currency: str | None = None,
) -> tuple[sa.Select[Any], sa.Select[Any], list[str]]:
    """The grouped statement, the totals' statement and the names of the grouping keys;
    each statement's rows say the call currency their sums are in (grouped by it, unless
    every call is in ``one_currency``).

    Rows may overlap when grouped by priority or funder (a proposal addressing two
    priorities, a project two funders co-finance, is in both rows); the totals never do.
    With a funder (grouped or filtered), committed and disbursed are that funder's own.
    ``rows_for_funder`` (see ``cofinancing.policies.money_rows_of``) keeps the funder rows
    to that funder's, and the organisation rows to the associations it co-finances."""
    fact = _fact(year, call_id, submitted_from, submitted_to)
    per_funder = _per_funder(funder_id)
    by_funder = Dimension.FUNDER in group_by or funder_id is not None
    keys = [key for dimension in group_by for key in _keys(fact, dimension, per_funder)]
    source = {m: fact.c[m] for m in MEASURES} | (
        {"committed": per_funder.c.committed, "disbursed": per_funder.c.disbursed}
        if by_funder
        else {}
    )
    measures = [sa.func.sum(source[m]).label(m) for m in MEASURES] + [
        sa.func.count().label("proposals"),
        sa.func.sum(fact.c.approved).label("approved"),
    ]
    joined = (
        sa.select()
        .select_from(fact)
        .join(Call, col(Call.id) == fact.c.call_id)
        .join(Organisation, col(Organisation.id) == fact.c.organisation_id)
    )
    if by_funder:
        joined = joined.join(per_funder, per_funder.c.project_id == fact.c.project_id).join(
            Funder, col(Funder.id) == per_funder.c.funder_id
        )
    if rows_for_funder is not None and Dimension.FUNDER in group_by:
        joined = joined.where(per_funder.c.funder_id == rows_for_funder)
    if rows_for_funder is not None and Dimension.ORGANISATION in group_by:
        # A funder's staff see every total, but association by association only those
        # their funder co-finances.
        joined = joined.where(
            fact.c.organisation_id.in_(
                sa.select(col(Project.organisation_id))
                .join(Commitment, col(Commitment.project_id) == col(Project.id))
                .where(
                    col(Commitment.funder_id) == rows_for_funder,
                    col(Commitment.status) == CommitmentStatus.CONFIRMED,
                )
            )
        )
    if Dimension.PRIORITY in group_by:
        joined = joined.join(
            ProposalPriority, col(ProposalPriority.proposal_id) == fact.c.proposal_id
        ).join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
    # Each group's sums per call currency (the last key): converted, then merged, by
    # ``funding_statistics``.
    currency: Any = fact.c.currency if one_currency is None else sa.literal(one_currency)
    grouping = keys if one_currency is not None else [*keys, ("currency", currency)]
    grouped = joined.add_columns(
        *[expr.label(name) for name, expr in keys], currency.label("currency"), *measures
    )
    if grouping:
        grouped = grouped.group_by(*[e for _, e in grouping]).order_by(*[e for _, e in grouping])
    totals_from = (
        fact.join(per_funder, per_funder.c.project_id == fact.c.project_id)
        if funder_id is not None
        else fact
    )
    total_source = source if funder_id is not None else {m: fact.c[m] for m in MEASURES}
    total_measures = [sa.func.sum(total_source[m]).label(m) for m in MEASURES] + [
        sa.func.count().label("proposals"),
        sa.func.sum(fact.c.approved).label("approved"),
    ]
    totals = sa.select(currency.label("currency"), *total_measures).select_from(totals_from)
    if one_currency is None:
        totals = totals.group_by(currency).order_by(currency)
    return grouped, totals, [name for name, _ in keys]


def parse_dimensions(given: list[str]) -> list[Dimension]:
    names = [name.strip() for value in given for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in set(Dimension)]
    if unknown or len(names) > 2 or len(set(names)) != len(names):
        raise InvalidInput(
            "Group by one or two different dimensions among " + ", ".join(Dimension) + ".",
            [{"loc": ["query", "group_by"], "message": f"got {', '.join(names)}"}],
        )
    return [Dimension(name) for name in names]


def as_table(result: FundingStatistics) -> tuple[list[str], list[list[Any]]]:
    """The statistics as one sheet: a row per group, then the totals row; amounts and the
    rate as numbers, not text."""
    keys = list(result.rows[0])[: -len(COLUMNS)] if result.rows else []
    # Each amount's column says its currency.
    header = [*keys, *(f"{c} ({result.currency})" if c in MEASURES else c for c in COLUMNS)]

    def typed(row: dict[str, Any]) -> list[Any]:
        values = [row.get(key) for key in keys]
        for name in COLUMNS:
            value = row[name]
            values.append(
                Decimal(value)
                if name in MEASURES or name == "success_rate" and value is not None
                else value
            )
        return values

    rows = [typed(row) for row in result.rows]
    total = typed({**dict.fromkeys(keys), **result.totals})
    if keys:
        total[0] = "total"
    return header, [*rows, total]


def rates_table(result: FundingStatistics) -> tuple[str, list[str], list[list[Any]]]:
    """The rates the figures were converted with, as a sheet of their own."""
    header = ["base", "quote", "rate", "valid_from", "source"]
    rows = [[r.base, r.quote, r.rate, r.valid_from.isoformat(), r.source] for r in result.rates]
    return "Rates", header, rows
