"""Fixed statements run on the driver: the same answers as SQLAlchemy's own execution, the
same visibility as the rules in policies for every kind of caller, and the same engine
hooks; quick reads run on the event loop, and only reads may."""

import asyncio
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from fundflow.accounts.schemas import UserPublic
from fundflow.accounts.service import actor_of, own_account
from fundflow.core.database import (
    ReadOnlyViolation,
    is_sqlite,
    only_reads,
    reading,
    reading_on_the_loop,
)
from fundflow.core.errors import NotFound
from fundflow.core.fixed_statements import FixedSelect, param
from fundflow.core.pagination import PageParams
from fundflow.core.request_sessions import run_on
from fundflow.core.routing import api_router, quick_read
from fundflow.projects import policies as project_policies
from fundflow.projects.models import Project
from fundflow.projects.service import read_project, read_projects
from fundflow.proposals import read_model
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.policies import proposal_visibility
from tests.builders import World

CALLERS = ("secretariat", "applicant_a", "applicant_b", "commission", "authority", "admin")


def test_a_proposal_read_by_its_fixed_statement_equals_the_one_read_in_a_list(world: World):
    """The detail runs on the driver, a page through SQLAlchemy: same values, same types
    (money as Decimal, dates, times with their zone, the nested logframe)."""
    project = world.signed()
    proposal = world.proposal(status=ProposalStatus.SUBMITTED)
    for proposal_id in (proposal.id, project.proposal_id):
        assert proposal_id is not None
        alone = read_model.read_one(world.session, proposal_id)
        [in_a_list] = read_model._read(world.session, [proposal_id])
        assert alone == in_a_list
        assert alone.model_dump_json() == in_a_list.model_dump_json()


@pytest.mark.parametrize("who", CALLERS)
def test_each_caller_sees_by_the_fixed_statement_what_the_rule_shows(world: World, who: str):
    project = world.signed()
    world.proposal(status=ProposalStatus.SUBMITTED)
    world.proposal(owner="b", status=ProposalStatus.SUBMITTED)
    world.proposal()  # a draft: its association's alone
    actor = actor_of(getattr(world, who))
    session = world.session
    shown = set(session.scalars(sa.select(col(Proposal.id)).where(proposal_visibility(actor))))
    for proposal_id in session.scalars(sa.select(col(Proposal.id))):
        if proposal_id in shown:
            assert read_model.read_one(session, proposal_id, actor).id == proposal_id
        else:
            with pytest.raises(NotFound):
                read_model.read_one(session, proposal_id, actor)
    visible_projects = set(
        session.scalars(
            sa.select(col(Project.id)).where(project_policies.project_visibility(actor))
        )
    )
    assert project.id is not None
    if project.id in visible_projects:
        [listed], _ = read_projects(session, actor=actor, page=PageParams(limit=10, cursor=None))
        assert read_project(session, project.id, actor) == listed
    else:
        with pytest.raises(NotFound):
            read_project(session, project.id, actor)


def test_me_reads_the_account_as_the_orm_does(world: World):
    for who in CALLERS:
        user = getattr(world, who)
        assert own_account(world.session, actor_of(user)) == UserPublic.model_validate(user)


def test_the_engine_hooks_see_a_fixed_statement(engine: Engine):
    statement = FixedSelect(
        lambda: sa.select(sa.literal_column("1").label("one")).where(
            sa.literal_column("1") == param("value")
        ),
        params={"value": sa.Integer()},
    )
    seen: list[str] = []
    reader = reading(engine)

    def note(_connection, _cursor, sql, *_):  # type: ignore[no-untyped-def]
        seen.append(sql)

    sa.event.listen(reader, "before_cursor_execute", note)
    try:
        with Session(reader) as session:
            assert statement.rows(session.connection(), {"value": 1}) == [{"one": 1}]
            assert statement.rows(session.connection(), {"value": 2}) == []
    finally:
        sa.event.remove(reader, "before_cursor_execute", note)
    assert len(seen) == 2 and all(sql.startswith("SELECT") for sql in seen)


def test_a_fixed_statement_that_fails_raises_as_sqlalchemy_would(engine: Engine):
    broken = FixedSelect(lambda: sa.select(sa.literal_column("no_such_column")), params={})
    with Session(reading(engine)) as session, pytest.raises(sa.exc.DBAPIError):
        broken.rows(session.connection(), {})


def test_reads_run_on_the_loop_and_writes_in_a_worker_thread(engine: Engine):
    """A quick read's session reads on the loop (on PostgreSQL over the asynchronous
    driver, its waits the loop's); other reads too on SQLite, in a thread on PostgreSQL;
    a writer always in a thread."""

    async def main() -> None:
        loop_thread = threading.get_ident()
        quick = Session(reading_on_the_loop(engine))
        reader, writer = Session(reading(engine)), Session(engine)
        try:
            assert only_reads(quick) and only_reads(reader) and not only_reads(writer)
            assert await run_on(quick, threading.get_ident) == loop_thread
            one = await run_on(quick, lambda: quick.execute(sa.select(sa.literal(1))).scalar())
            assert one == 1
            in_reader = await run_on(reader, threading.get_ident)
            assert (in_reader == loop_thread) == is_sqlite(engine)
            assert await run_on(writer, threading.get_ident) != loop_thread
            with pytest.raises(ReadOnlyViolation):
                await run_on(
                    quick, quick.execute, sa.delete(Proposal).where(col(Proposal.id) == -1)
                )
        finally:
            await run_on(quick, quick.close)
            reader.close()
            writer.close()

    asyncio.run(main())
    # Its connections belong to the loop that has just ended.
    reading_on_the_loop(engine).dispose(close=False)


def test_only_a_read_may_be_a_quick_read():
    router = api_router()

    def change() -> None:
        return None

    with pytest.raises(AssertionError, match="is not a read"):
        router.post("/things")(quick_read(change))
    router.get("/things")(quick_read(change))  # a read may
