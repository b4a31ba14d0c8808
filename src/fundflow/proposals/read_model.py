"""A proposal as the API shows it, read in one statement: its row, its call's currency, its
project and every list (priorities, budget, financing, logframe) aggregated to JSON.

The one read path of ``ProposalPublic``: the detail, the list and the answer to every write
come from here, so they cannot disagree.
"""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col

from fundflow.calls.models import Call, CallKind, CallPriority
from fundflow.calls.service import category_named
from fundflow.core.actor import Actor
from fundflow.core.errors import not_found
from fundflow.core.fixed_statements import FixedSelect, VisibleById, VisiblePage
from fundflow.core.json_rows import JsonList
from fundflow.core.pagination import PageParams
from fundflow.core.rendered import RenderedStore, rendered_store
from fundflow.projects.models import Project
from fundflow.proposals.figures import figures_of
from fundflow.proposals.models import (
    BudgetLine,
    FinancingLine,
    Indicator,
    Outcome,
    Output,
    Proposal,
    ProposalPriority,
    ProposalStatus,
)
from fundflow.proposals.policies import proposal_visibility
from fundflow.proposals.schemas import NOMINATION_FIELDS, SCALAR_FIELDS, ProposalPublic

_COLUMNS = (
    "id",
    "call_id",
    "organisation_id",
    *SCALAR_FIELDS,
    *NOMINATION_FIELDS,
    "logframe_goal",
    "status",
    "version",
    "submitted_at",
    "created_at",
    "updated_at",
)


def _indicators(where: Any) -> JsonList:
    return JsonList(
        {
            "id": col(Indicator.id),
            "name": col(Indicator.name),
            "unit": col(Indicator.unit),
            "baseline": col(Indicator.baseline),
            "baseline_year": col(Indicator.baseline_year),
            "target": col(Indicator.target),
        },
        where=where,
        order_by=col(Indicator.position),
    )


PRIORITIES = JsonList(
    col(CallPriority.code),
    select_from=sa.join(
        ProposalPriority, CallPriority, col(ProposalPriority.priority_id) == col(CallPriority.id)
    ),
    where=col(ProposalPriority.proposal_id) == col(Proposal.id),
    order_by=col(CallPriority.position),
)
BUDGET_LINES = JsonList(
    {
        "id": col(BudgetLine.id),
        "category": col(BudgetLine.category),
        "description": col(BudgetLine.description),
        "amount": col(BudgetLine.amount),
    },
    where=col(BudgetLine.proposal_id) == col(Proposal.id),
    order_by=col(BudgetLine.position),
)
FINANCING_LINES = JsonList(
    {
        "id": col(FinancingLine.id),
        "source": col(FinancingLine.source),
        "funder_name": col(FinancingLine.funder_name),
        "amount": col(FinancingLine.amount),
        "status": col(FinancingLine.status),
    },
    where=col(FinancingLine.proposal_id) == col(Proposal.id),
    order_by=col(FinancingLine.position),
)
OUTCOMES = JsonList(
    {
        "id": col(Outcome.id),
        "statement": col(Outcome.statement),
        "indicators": _indicators(
            sa.and_(
                col(Indicator.outcome_id) == col(Outcome.id), col(Indicator.output_id).is_(None)
            )
        ),
        "outputs": JsonList(
            {
                "id": col(Output.id),
                "statement": col(Output.statement),
                "indicators": _indicators(col(Indicator.output_id) == col(Output.id)),
            },
            where=col(Output.outcome_id) == col(Outcome.id),
            order_by=col(Output.position),
        ),
    },
    where=col(Outcome.proposal_id) == col(Proposal.id),
    order_by=col(Outcome.position),
)
_LISTS = {
    "priorities": PRIORITIES,
    "budget_lines": BUDGET_LINES,
    "financing_lines": FINANCING_LINES,
    "outcomes": OUTCOMES,
}


def _statement() -> sa.Select[Any]:
    # One project at most per proposal; min() keeps the statement free of bound values.
    project_id = (
        sa.select(sa.func.min(col(Project.id)))
        .where(col(Project.proposal_id) == col(Proposal.id))
        .scalar_subquery()
    )
    return sa.select(
        *(getattr(Proposal, name) for name in _COLUMNS),
        col(Call.currency).label("currency"),
        col(Call.kind).label("call_kind"),
        col(Call.categories).label("call_categories"),
        project_id.label("project_id"),
        col(Proposal.content_stamp),
        *(lists.label(name) for name, lists in _LISTS.items()),
    ).join(Call, col(Call.id) == col(Proposal.call_id))


_CONTENT = FixedSelect(_statement, params={})


def _content_where(condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    content = _statement().subquery("content")
    return sa.select(content).where(content.c.id.in_(sa.select(col(Proposal.id)).where(condition)))


# The content and who may see it, by the proposal's id.
_ONE = VisibleById(_content_where, col(Proposal.id), proposal_visibility)


# Its content stamp and who may see it: what a read of a rendered proposal asks first.
def _stamp_where(condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    columns: list[Any] = [col(Proposal.id), col(Proposal.content_stamp)]
    return sa.select(*columns).where(condition)


_STAMP = VisibleById(_stamp_where, col(Proposal.id), proposal_visibility)


def _public(values: dict[str, Any], dialect: Dialect) -> ProposalPublic:
    values.pop("content_stamp")
    nomination: dict[str, Any] | None = {name: values.pop(name) for name in NOMINATION_FIELDS}
    categories = values.pop("call_categories")
    if values.pop("call_kind") == CallKind.AWARD:
        assert nomination is not None
        nomination["self_nomination"] = bool(nomination["self_nomination"])
        if isinstance(categories, str):  # a fixed statement's rows come undecoded
            categories = json.loads(categories)
        named = category_named(categories, nomination["category"])
        nomination["category_label"] = named.get("label")
        nomination["category_label_en"] = named.get("label_en")
    else:
        nomination = None
    lists = {name: lists.decode(values.pop(name), dialect) for name, lists in _LISTS.items()}
    figures = figures_of(
        (line["amount"] for line in lists["budget_lines"]),
        ((line["source"], line["amount"]) for line in lists["financing_lines"]),
    )
    return ProposalPublic.model_validate(
        {
            **values,
            "priorities": lists["priorities"],
            "budget_lines": lists["budget_lines"],
            "financing_lines": lists["financing_lines"],
            "logframe": {"goal": values.pop("logframe_goal"), "outcomes": lists["outcomes"]},
            "nomination": nomination,
            "total_budget": figures.total_budget,
            "total_financing": figures.total_financing,
            "requested_amount": figures.requested_amount,
            "requested_share": figures.requested_share,
            "own_share": figures.own_share,
        }
    )


def read_one(session: Session, proposal_id: int, viewer: Actor | None = None) -> ProposalPublic:
    """One proposal; 404 when it does not exist or ``viewer`` may not see it."""
    connection = session.connection()
    row = _ONE.row(connection, proposal_id, viewer)
    if row is None:
        raise not_found("Proposal", proposal_id)
    return _public(row, connection.dialect)


def read_one_rendered(session: Session, proposal_id: int, viewer: Actor) -> bytes:
    """``read_one``'s proposal as its JSON document, the one rendered before while its
    content stamp holds (``core.rendered``)."""
    store = rendered_store(session)
    if store is None:
        return rendered(read_one(session, proposal_id, viewer))
    connection = session.connection()
    row = _STAMP.row(connection, proposal_id, viewer)
    if row is None:
        raise not_found("Proposal", proposal_id)
    document = store.get((proposal_id, row["content_stamp"]))
    if document is None:
        content = _content_rows(session, [proposal_id])
        document = _render_into(store, content, connection.dialect)[proposal_id]
    return document


@dataclass(frozen=True)
class ProposalFilters:
    """Which proposals a list shows; None for any."""

    call_id: int | None = None
    status: ProposalStatus | None = None
    organisation_id: int | None = None


ANY_PROPOSAL = ProposalFilters()


def _visible_select(viewer: Actor, filters: Mapping[str, Any]) -> sa.Select[Any]:
    columns: list[Any] = [col(Proposal.id), col(Proposal.content_stamp)]
    return sa.select(*columns).where(
        proposal_visibility(viewer),
        *(getattr(Proposal, name) == value for name, value in filters.items()),
    )


# A page of the ids and stamps of the proposals a caller may see, filtered.
_VISIBLE_PAGE = VisiblePage(
    _visible_select,
    col(Proposal.id),
    {
        "call_id": sa.Integer(),
        "status": Proposal.__table__.c.status.type,  # type: ignore[attr-defined]
        "organisation_id": sa.Integer(),
    },
)


def read_page(
    session: Session, viewer: Actor, filters: ProposalFilters, page: PageParams
) -> tuple[list[ProposalPublic], str | None]:
    """A page of the proposals ``viewer`` may see, in id order: two statements whatever
    the size."""
    rows, cursor = _VISIBLE_PAGE.rows(session.connection(), viewer, asdict(filters), page)
    return (_read(session, [row["id"] for row in rows]) if rows else []), cursor


def read_page_rendered(
    session: Session, viewer: Actor, filters: ProposalFilters, page: PageParams
) -> tuple[list[bytes], str | None]:
    """``read_page``'s proposals as their JSON documents: those rendered before and whose
    content stamp still holds are reused (``core.rendered``), the others read and rendered."""
    rows, cursor = _VISIBLE_PAGE.rows(session.connection(), viewer, asdict(filters), page)
    store = rendered_store(session)
    documents: dict[int, bytes] = {}
    if store is not None:
        for row in rows:
            document = store.get((row["id"], row["content_stamp"]))
            if document is not None:
                documents[row["id"]] = document
    missing = [row["id"] for row in rows if row["id"] not in documents]
    if missing:
        content = _content_rows(session, missing)
        documents.update(_render_into(store, content, session.get_bind().dialect))
    return [documents[row["id"]] for row in rows], cursor


def _render_into(
    store: RenderedStore | None, content: list[dict[str, Any]], dialect: Dialect
) -> dict[int, bytes]:
    """Render content rows, each kept under the stamp read with it (which may be newer
    than one read a moment before)."""
    documents = {}
    for values in content:
        key = (values["id"], values["content_stamp"])
        documents[values["id"]] = document = rendered(_public(values, dialect))
        if store is not None:
            store.put(key, document)
    return documents


def rendered(proposal: ProposalPublic) -> bytes:
    """The proposal as the API writes it (FastAPI's own serialisation of the model)."""
    return _SERIALIZER.to_json(proposal)


_SERIALIZER = ProposalPublic.__pydantic_serializer__


def _content_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The content of the proposals whose ids are listed, in rows as the database gives them."""
    content = _CONTENT.subquery(session.get_bind().dialect)
    statement = sa.select(content).where(content.c.id.in_(ids))
    # On the connection: plain rows, no ORM execution layer in between.
    return [dict(row) for row in session.connection().execute(statement).mappings()]


def _read(session: Session, ids: list[int]) -> list[ProposalPublic]:
    dialect = session.get_bind().dialect
    proposals = (_public(values, dialect) for values in _content_rows(session, ids))
    return sorted(proposals, key=lambda item: item.id)
