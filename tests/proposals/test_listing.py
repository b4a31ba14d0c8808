"""Proposal lists: scoped per role, keyset-paginated, a fixed number of queries per page."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.accounts.service import actor_of
from fundflow.proposals.models import ProposalStatus
from fundflow.proposals.schemas import ProposalCreate
from fundflow.proposals.service import create_proposal
from tests.builders import World, proposal_payload


@contextmanager
def counting_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind().engine

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def add_drafts(world: World, count: int) -> None:
    actor = actor_of(world.applicant_a)
    data = ProposalCreate.model_validate(proposal_payload(world.call, world.partner_a))
    for _ in range(count):
        create_proposal(world.session, actor=actor, data=data)
    world.session.commit()


def test_listing_10_or_200_costs_the_same_queries(
    client: TestClient, world: World, session: Session
):
    add_drafts(world, 200)
    headers = world.headers("applicant_a")
    counts = {}
    for limit in (10, 200):
        with counting_queries(session) as statements:
            response = client.get(f"/api/v1/proposals?limit={limit}", headers=headers)
        assert response.status_code == 200
        items = response.json()["items"]
        assert len(items) == limit
        assert items[0]["logframe"]["outcomes"][0]["outputs"][0]["indicators"][0]["name"]
        counts[limit] = len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])
    print("queries per page", counts)
    assert counts[10] == counts[200], counts
    assert counts[200] <= 15, counts


def test_keyset_pages_cover_everything_once(client: TestClient, world: World):
    add_drafts(world, 7)
    headers = world.headers("applicant_a")
    seen, cursor = [], None
    while True:
        url = "/api/v1/proposals?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=headers).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and seen == sorted(seen) and len(set(seen)) == 7


def test_each_role_lists_only_what_it_may_see(client: TestClient, world: World):
    draft_a = world.proposal()
    submitted_a = world.proposal(status=ProposalStatus.SUBMITTED)
    draft_b = world.proposal(owner="b")
    in_review_b = world.proposal(owner="b", status=ProposalStatus.IN_REVIEW)

    def ids(who: str, query: str = "") -> set[int]:
        response = client.get(f"/api/v1/proposals{query}", headers=world.headers(who))
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert ids("applicant_a") == {draft_a.id, submitted_a.id}
    assert ids("applicant_b") == {draft_b.id, in_review_b.id}
    assert ids("secretariat") == {submitted_a.id, in_review_b.id}
    assert ids("secretariat", "?status=in_review") == {in_review_b.id}
    assert ids("secretariat", f"?organisation_id={world.org_a.id}") == {submitted_a.id}
    assert ids("applicant_a", f"?organisation_id={world.org_b.id}") == set()
    for who in ("commission", "authority", "admin"):
        assert ids(who) == set()
