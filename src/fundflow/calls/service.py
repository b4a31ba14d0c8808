"""Calls for proposals: their content, rules and publication."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, col, select

from fundflow.calls import policies
from fundflow.calls.models import Call, CallCriterion, CallKind, CallPriority, CallStatus
from fundflow.calls.rules import (
    CallRules,
    Reporting,
    TranchePlanItem,
    default_tranche_plan,
    rules_for,
)
from fundflow.calls.schemas import (
    CallCreate,
    CallPublic,
    CallUpdate,
    CategoryIn,
    CriterionIn,
    PriorityIn,
)
from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict, InvalidInput
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import get_visible, where_given
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version


def takes_drafts(call: Call) -> bool:
    """Associations may start proposals as soon as a call is published, before its window
    opens; whether it takes submissions is `accepting_submissions`."""
    return call.status == CallStatus.OPEN


def accepting_submissions(call: Call, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        takes_drafts(call)
        and call.opens_at <= now
        and (call.closes_at is None or now <= call.closes_at)
    )


def category_named(categories: list[dict[str, Any]] | None, code: str | None) -> dict[str, Any]:
    """An award round's category (code, label, label_en) by its code; {} when none is."""
    return next((c for c in categories or [] if c["code"] == code), {})


def call_rules(call: Call) -> CallRules:
    return CallRules.model_validate(call.rules)


def _merged_rules(kind: CallKind, given: Any, base: dict[str, Any] | None) -> dict[str, Any]:
    try:
        return rules_for(kind, given, base).model_dump(mode="json")
    except ValidationError as exc:
        raise InvalidInput(
            "The call's rules are inconsistent.",
            [
                {"loc": ["body", "rules", *map(str, e["loc"])], "message": e["msg"]}
                for e in exc.errors()
            ],
        ) from None


def _priorities(items: list[PriorityIn]) -> list[CallPriority]:
    return [CallPriority(position=i, **item.model_dump()) for i, item in enumerate(items)]


def _criteria(items: list[CriterionIn]) -> list[CallCriterion]:
    return [CallCriterion(position=i, **item.model_dump()) for i, item in enumerate(items)]


def _categories(items: list[CategoryIn]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


def _plan(items: list[TranchePlanItem]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


def create_call(session: Session, *, actor: Actor, data: CallCreate) -> Call:
    call = Call(
        kind=data.kind,
        title=data.title,
        description=data.description,
        year=data.year,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        currency=data.currency,
        rules=_merged_rules(data.kind, data.rules, None),
        reporting=(data.reporting or Reporting()).model_dump(mode="json"),
        tranches=_plan(data.tranches or default_tranche_plan(data.kind)),
        priorities=_priorities(data.priorities),
        criteria=_criteria(data.criteria),
        categories=_categories(data.categories),
    )
    session.add(call)
    session.flush()
    assert call.id is not None
    record_event(session, entity_type="call", entity_id=call.id, action="create", actor=actor)
    return call


def update_call(session: Session, *, actor: Actor, call: Call, data: CallUpdate) -> Call:
    if call.status != CallStatus.DRAFT:
        raise Conflict("Only a draft call can be edited; published calls are fixed.")
    check_version(call, data.version, "call")
    changes = data.model_dump(
        exclude_unset=True,
        exclude={
            "version",
            "priorities",
            "criteria",
            "rules",
            "reporting",
            "tranches",
            "categories",
        },
    )
    for name, value in changes.items():
        setattr(call, name, value)
    if call.closes_at is not None and call.closes_at <= call.opens_at:
        raise InvalidInput(
            "closes_at must be after opens_at.",
            [{"loc": ["body", "closes_at"], "message": "before opens_at"}],
        )
    if data.rules is not None:
        call.rules = _merged_rules(call.kind, data.rules, call.rules)
    if data.reporting is not None:
        call.reporting = data.reporting.model_dump(mode="json")
    if data.tranches is not None:
        call.tranches = _plan(data.tranches)
    if data.categories is not None:
        call.categories = _categories(data.categories)
    if data.priorities is not None:
        call.priorities = []
        session.flush()
        call.priorities = _priorities(data.priorities)
    if data.criteria is not None:
        call.criteria = []
        session.flush()
        call.criteria = _criteria(data.criteria)
    session.add(call)
    bump_version(session, call, "call")
    session.flush()
    assert call.id is not None
    record_event(
        session,
        entity_type="call",
        entity_id=call.id,
        action="update",
        actor=actor,
        data={"fields": sorted(data.model_dump(exclude_unset=True))},
    )
    return call


def get_call(session: Session, *, actor: Actor, call_id: int) -> Call:
    return get_visible(session, Call, call_id, policies.call_visibility(actor), "Call")


def list_calls(
    session: Session,
    *,
    actor: Actor,
    page: PageParams,
    status: CallStatus | None = None,
    kind: CallKind | None = None,
    year: int | None = None,
) -> tuple[Sequence[Call], str | None]:
    stmt = where_given(
        select(Call).where(policies.call_visibility(actor)),
        {Call.status: status, Call.kind: kind, Call.year: year},
    )
    return fetch_page(session, stmt, Call.id, page)


def call_titles(session: Session, *, actor: Actor) -> list[tuple[int, str]]:
    """The calls the caller sees, newest first, as (id, title): what a filter lists."""
    stmt = (
        sa.select(col(Call.id), col(Call.title))
        .where(policies.call_visibility(actor))
        .order_by(col(Call.year).desc(), col(Call.id).desc())
    )
    return [(call_id, title) for call_id, title in session.execute(stmt).all()]


def priority_labels(session: Session) -> list[tuple[str, str]]:
    """Every priority code the calls use, with a label: the themes an association may
    work on."""
    rows = session.execute(
        sa.select(col(CallPriority.code), sa.func.min(col(CallPriority.label)))
        .group_by(col(CallPriority.code))
        .order_by(sa.func.min(col(CallPriority.label)))
    ).all()
    return [(code, label) for code, label in rows]


def to_public(call: Call) -> CallPublic:
    return CallPublic.model_validate(
        {
            **{
                name: getattr(call, name)
                for name in (
                    "id",
                    "kind",
                    "title",
                    "description",
                    "year",
                    "opens_at",
                    "closes_at",
                    "currency",
                    "status",
                    "priorities",
                    "criteria",
                    "version",
                )
            },
            "accepting_submissions": accepting_submissions(call),
            "rules": call.rules,
            "reporting": call.reporting,
            "tranches": call.tranches,
            "categories": call.categories,
        }
    )
