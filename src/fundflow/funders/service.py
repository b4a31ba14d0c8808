"""Funders (federal, cantonal, communal, private) and their yearly envelopes."""

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call
from fundflow.core.actor import Actor
from fundflow.core.errors import Conflict, RuleViolation, Violation, not_found
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.queries import names_by_id
from fundflow.core.transitions import record_event
from fundflow.core.versioning import bump_version, check_version
from fundflow.funders import policies
from fundflow.funders.models import Envelope, Funder
from fundflow.funders.schemas import EnvelopeCreate, EnvelopeUpdate, FunderCreate


def create_funder(session: Session, *, data: FunderCreate) -> Funder:
    if session.exec(select(Funder.id).where(Funder.name == data.name)).first() is not None:
        raise Conflict(f"A funder named {data.name!r} already exists.")
    funder = Funder(**data.model_dump())
    session.add(funder)
    session.flush()
    return funder


def get_funder(session: Session, *, funder_id: int) -> Funder:
    funder = session.get(Funder, funder_id)
    if funder is None:
        raise not_found("Funder", funder_id)
    return funder


def list_funders(session: Session, *, page: PageParams) -> tuple[Sequence[Funder], str | None]:
    return fetch_page(session, select(Funder), Funder.id, page)


def create_envelope(
    session: Session, *, actor: Actor, funder: Funder, data: EnvelopeCreate
) -> Envelope:
    if data.call_id is not None and session.get(Call, data.call_id) is None:
        raise RuleViolation.of(
            "The envelope cannot be saved.",
            [Violation("call_exists", f"Call {data.call_id} does not exist.")],
        )
    assert funder.id is not None
    envelope = Envelope(funder_id=funder.id, currency=funder.currency, **data.model_dump())
    session.add(envelope)
    session.flush()
    assert envelope.id is not None
    record_event(
        session,
        entity_type="envelope",
        entity_id=envelope.id,
        action="create",
        actor=actor,
        data={"amount": envelope.amount, "currency": envelope.currency},
    )
    return envelope


def list_envelopes(
    session: Session, *, funder: Funder, page: PageParams, year: int | None = None
) -> tuple[Sequence[Envelope], str | None]:
    stmt = select(Envelope).where(Envelope.funder_id == funder.id)
    if year is not None:
        stmt = stmt.where(Envelope.year == year)
    return fetch_page(session, stmt, Envelope.id, page)


def get_envelope(session: Session, *, actor: Actor, envelope_id: int) -> Envelope:
    envelope = session.get(Envelope, envelope_id)
    if envelope is None:
        raise not_found("Envelope", envelope_id)
    policies.check_envelope_reader(actor, envelope.funder_id)
    return envelope


def update_envelope(
    session: Session, *, actor: Actor, envelope: Envelope, data: EnvelopeUpdate
) -> Envelope:
    check_version(envelope, data.version, "envelope")
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "amount" in changes and changes["amount"] < envelope.committed:
        raise RuleViolation.of(
            "The envelope cannot be reduced below what it has committed.",
            [
                Violation(
                    "amount_covers_commitments",
                    f"{envelope.committed} is already committed from this envelope.",
                )
            ],
        )
    for name, value in changes.items():
        setattr(envelope, name, value)
    session.add(envelope)
    bump_version(session, envelope, "envelope")
    assert envelope.id is not None
    record_event(
        session,
        entity_type="envelope",
        entity_id=envelope.id,
        action="update",
        actor=actor,
        data={"fields": sorted(changes)},
    )
    session.flush()
    return envelope


def envelopes_for_call(session: Session, call: Call) -> list[Envelope]:
    """The envelopes that can fund this call: those attached to it, and those of its year
    that are tied to no other call and take its kind of call. The one definition of a
    call's money, for its ranking's budget line and its allocation plan."""
    rows = session.exec(
        select(Envelope).where(
            sa.or_(
                col(Envelope.call_id) == call.id,
                sa.and_(col(Envelope.call_id).is_(None), col(Envelope.year) == call.year),
            )
        )
    ).all()
    return [
        e
        for e in rows
        if e.call_id == call.id or not e.eligible_call_kinds or call.kind in e.eligible_call_kinds
    ]


def funder_names(session: Session, funder_ids: Iterable[int]) -> dict[int, str]:
    return names_by_id(session, Funder.id, Funder.name, funder_ids)
