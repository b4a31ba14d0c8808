"""A proposal's content stamp moves with everything its representation shows, and the
list reuses a rendered proposal only while its stamp holds."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy.engine import Engine
from sqlalchemy.sql.util import find_tables
from sqlmodel import Session, col

from fundflow.accounts.service import actor_of
from fundflow.calls.models import Call, CallPriority
from fundflow.core.database import is_sqlite, read_session, reading
from fundflow.core.errors import NotFound
from fundflow.core.formats import rendered_page_response
from fundflow.core.pagination import Page, PageParams
from fundflow.core.rendered import RenderedStore, rendered_store
from fundflow.projects.models import Project
from fundflow.proposals import read_model, service
from fundflow.proposals.models import (
    BudgetLine,
    Indicator,
    Outcome,
    Output,
    Proposal,
    ProposalStatus,
)
from fundflow.proposals.read_model import ANY_PROPOSAL as ANY
from fundflow.proposals.schemas import ProposalPublic
from tests.builders import World


def stamp(session: Session, proposal: Proposal) -> int:
    return session.scalar(
        sa.select(col(Proposal.content_stamp)).where(col(Proposal.id) == proposal.id)
    )


def test_every_table_a_proposal_shows_has_triggers_that_move_its_stamp(session: Session):
    """A list read from a new table, without its trigger, would be served stale: this
    fails first."""
    tables = find_tables(read_model._statement(), check_columns=True)
    shown = {table.name for table in tables if isinstance(table, sa.Table)}
    if is_sqlite(session.get_bind()):
        query = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :name"
    else:
        query = (
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE :name"
        )
    stamped = set(session.scalars(sa.text(query), {"name": "%content_stamp%"}))
    assert {"budget_line", "outcome", "output", "indicator", "project", "call"} <= shown
    assert shown <= stamped


def test_each_change_a_proposal_shows_moves_its_stamp_and_no_other(
    world: World, client: TestClient
):
    session = world.session
    proposal = world.proposal()
    other = world.proposal(owner="b")
    other_stamp = stamp(session, other)
    applicant = world.headers("applicant_a")
    seen: list[int] = [stamp(session, proposal)]

    def moved() -> None:
        session.expire_all()
        now = stamp(session, proposal)
        assert now > seen[-1]
        seen.append(now)

    def patch(body: dict[str, Any]) -> None:
        response = client.patch(f"/api/v1/proposals/{proposal.id}", json=body, headers=applicant)
        assert response.status_code == 200, response.text
        moved()

    patch({"title": "Eau potable pour Tafraout"})
    patch({"budget_lines": [{"category": "staff", "description": "Coord", "amount": "5000"}]})
    patch({"financing_lines": [{"source": "requested", "amount": "4000.00"}]})
    patch({"priorities": []})
    outcome = {
        "statement": "Taps work",
        "indicators": [{"name": "Taps working", "target": "12"}],
        "outputs": [{"statement": "Taps"}],
    }
    patch({"logframe": {"goal": "Water", "outcomes": [outcome]}})
    # Rows changed below the service, each table by itself.
    output_id = session.scalar(
        sa.select(col(Output.id))
        .join(Outcome, col(Outcome.id) == col(Output.outcome_id))
        .where(col(Outcome.proposal_id) == proposal.id)
    )
    session.execute(sa.update(Output).where(col(Output.id) == output_id).values(statement="x"))
    moved()
    session.execute(
        sa.update(Indicator).where(col(Indicator.proposal_id) == proposal.id).values(unit="m3")
    )
    moved()
    session.execute(
        sa.update(BudgetLine).where(col(BudgetLine.proposal_id) == proposal.id).values(amount=1)
    )
    moved()
    session.execute(
        sa.update(CallPriority)
        .where(col(CallPriority.call_id) == world.call.id)
        .values(position=CallPriority.position + 10)
    )
    session.execute(sa.update(Call).where(col(Call.id) == world.call.id).values(currency="EUR"))
    moved()
    # The other proposal is in the same call: the call's currency was its too.
    assert stamp(session, other) > other_stamp
    other_stamp = stamp(session, other)
    # A change of the call that the proposal does not show moves nothing.
    session.execute(sa.update(Call).where(col(Call.id) == world.call.id).values(title="Appel"))
    session.expire_all()
    assert stamp(session, proposal) == seen[-1]
    assert stamp(session, other) == other_stamp


def test_a_change_of_its_project_moves_a_proposal_stamp(world: World):
    project = world.project()
    proposal = world.session.get(Proposal, project.proposal_id)
    assert proposal is not None
    before = stamp(world.session, proposal)
    world.session.execute(
        sa.update(Project)
        .where(col(Project.id) == project.id)
        .values(proposal_id=project.proposal_id)
    )
    assert stamp(world.session, proposal) > before


@pytest.fixture
def committed_world(committed_engine: Engine) -> Iterator[World]:
    with Session(committed_engine, expire_on_commit=False) as session:
        world = World.build(session)
        for owner in ("a", "b", "a"):
            world.proposal(owner=owner, status=ProposalStatus.SUBMITTED)
        session.commit()
        yield world


def statements_on(engine: Engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def rendered_list(engine: Engine, world: World, **page: Any) -> tuple[list[bytes], str | None]:
    with read_session(engine) as reader:
        return service.read_proposals_rendered(
            reader, actor=actor_of(world.secretariat), page=PageParams(**page), filters=ANY
        )


def test_the_list_reuses_a_rendered_proposal_until_its_content_changes(
    committed_engine: Engine, committed_world: World
):
    world = committed_world
    statements = statements_on(reading(committed_engine))
    first, _ = rendered_list(committed_engine, world)
    assert len(first) == 3
    assert len(statements) == 2  # the page of ids and stamps, then the content
    with read_session(committed_engine) as reader:
        store = rendered_store(reader)
        assert store is not None and len(store) == 3
    statements.clear()
    again, _ = rendered_list(committed_engine, world)
    assert again == first
    assert len(statements) == 1  # the page alone: every proposal was rendered before

    # A budget line changes, committed by a writer: that proposal alone is read again.
    changed = TypeAdapter(ProposalPublic).validate_json(first[1])
    with Session(committed_engine) as writer:
        writer.execute(
            sa.update(BudgetLine)
            .where(col(BudgetLine.id) == changed.budget_lines[0].id)
            .values(amount=Decimal("123.45"))
        )
        writer.commit()
    statements.clear()
    after, _ = rendered_list(committed_engine, world)
    assert len(statements) == 2
    assert after[0] == first[0] and after[2] == first[2]
    now = TypeAdapter(ProposalPublic).validate_json(after[1])
    assert now.budget_lines[0].amount == Decimal("123.45")
    assert now.total_budget != changed.total_budget
    with read_session(committed_engine) as reader:
        assert after[1] == read_model.rendered(read_model.read_one(reader, changed.id))


def test_a_rendered_page_is_the_page_fastapi_would_write(
    committed_engine: Engine, committed_world: World
):
    world = committed_world
    rendered_list(committed_engine, world)  # the store holds them now
    documents, cursor = rendered_list(committed_engine, world, limit=2)
    assert cursor is not None
    with read_session(committed_engine) as reader:
        items, same_cursor = service.read_proposals(
            reader, actor=actor_of(world.secretariat), page=PageParams(limit=2)
        )
    page = Page[ProposalPublic](items=items, next_cursor=same_cursor)
    expected = TypeAdapter(Page[ProposalPublic]).dump_json(page)
    assert rendered_page_response(documents, cursor).body == expected
    last = rendered_page_response([], None).body
    assert last == TypeAdapter(Page[ProposalPublic]).dump_json(Page(items=[], next_cursor=None))


def test_each_caller_lists_only_what_they_may_see_from_the_store(
    committed_engine: Engine, committed_world: World
):
    world = committed_world
    rendered_list(committed_engine, world)  # rendered for the secretariat
    with read_session(committed_engine) as reader:
        for who in ("applicant_a", "applicant_b", "secretariat", "commission"):
            actor = actor_of(getattr(world, who))
            documents, _ = service.read_proposals_rendered(
                reader, actor=actor, page=PageParams(), filters=ANY
            )
            items, _ = service.read_proposals(reader, actor=actor, page=PageParams())
            assert documents == [read_model.rendered(item) for item in items]


def test_a_writer_neither_fills_nor_uses_the_store(world: World):
    assert rendered_store(world.session) is None
    world.proposal(status=ProposalStatus.SUBMITTED)
    documents, _ = service.read_proposals_rendered(
        world.session, actor=actor_of(world.secretariat), page=PageParams(), filters=ANY
    )
    assert len(documents) == 1


def test_the_store_keeps_to_its_budget_dropping_the_least_recently_used():
    store = RenderedStore(budget_bytes=10)
    store.put("a", b"1234")
    store.put("b", b"5678")
    assert store.get("a") == b"1234"  # now the most recently used
    store.put("c", b"90ab")
    assert store.get("b") is None
    assert store.get("a") == b"1234" and store.get("c") == b"90ab"
    assert store.size == 8
    store.put("d", b"x" * 11)  # larger than the whole budget: not kept
    assert store.get("d") is None and len(store) == 2


def test_a_proposal_read_alone_reuses_its_rendering_and_keeps_its_visibility(
    committed_engine: Engine, committed_world: World
):
    world = committed_world
    statements = statements_on(reading(committed_engine))
    secretariat = actor_of(world.secretariat)
    with read_session(committed_engine) as reader:
        [first, of_b, _] = service.read_proposals(reader, actor=secretariat, page=PageParams())[0]
        statements.clear()
        document = service.read_proposal_rendered(reader, actor=secretariat, proposal_id=first.id)
        assert len(statements) == 2  # its stamp and who may see it, then its content
        assert document == read_model.rendered(first)
        statements.clear()
        again = service.read_proposal_rendered(reader, actor=secretariat, proposal_id=first.id)
        assert again == document and len(statements) == 1
        # Rendered for one caller, still refused to another who may not see it.
        with pytest.raises(NotFound):
            service.read_proposal_rendered(
                reader, actor=actor_of(world.applicant_a), proposal_id=of_b.id
            )
        with pytest.raises(NotFound):
            service.read_proposal_rendered(reader, actor=secretariat, proposal_id=10_000)
