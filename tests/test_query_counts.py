"""Every list costs the same small number of queries whatever its page size."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.proposals.models import ProposalStatus
from tests.builders import World, call_payload, make_call, make_organisation
from tests.proposals.test_listing import counting_queries

MAX_QUERIES = 15


def many_reviews(world: World) -> None:
    for _ in range(6):
        world.reviewed()


def many_projects(world: World) -> None:
    for _ in range(6):
        world.decided()


def many_calls(world: World) -> None:
    from fundflow.accounts.service import actor_of

    for i in range(6):
        make_call(
            world.session,
            actor_of(world.secretariat),
            title=f"Call {i}",
            **{k: v for k, v in call_payload().items() if k not in ("title", "kind")},
        )
    world.session.commit()


def many_organisations(world: World) -> None:
    for i in range(6):
        make_organisation(world.session, f"Association {i}")
    world.session.commit()


def many_events(world: World) -> None:
    for _ in range(3):
        world.proposal(status=ProposalStatus.IN_REVIEW)


CASES: dict[str, tuple[Callable[[World], None], str, str]] = {
    "reviews": (many_reviews, "secretariat", "/api/v1/reviews"),
    "projects": (many_projects, "secretariat", "/api/v1/projects"),
    "calls": (many_calls, "secretariat", "/api/v1/calls"),
    "organisations": (many_organisations, "secretariat", "/api/v1/organisations"),
    "users": (lambda w: None, "admin", "/api/v1/users"),
    "partners": (lambda w: None, "secretariat", "/api/v1/partners"),
    "sessions": (lambda w: [w.meeting() for _ in range(4)], "secretariat", "/api/v1/sessions"),
    "commission members": (lambda w: None, "secretariat", "/api/v1/commission-members"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_list_queries_do_not_grow_with_the_page(
    client: TestClient, world: World, session: Session, name: str
):
    build, who, url = CASES[name]
    build(world)
    headers = world.headers(who)
    counts = {}
    for limit in (1, 200):
        with counting_queries(session) as statements:
            response = client.get(f"{url}?limit={limit}", headers=headers)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert (len(items) == 1) if limit == 1 else (len(items) >= 2), (limit, len(items))
        counts[limit] = len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])
    assert counts[1] == counts[200] <= MAX_QUERIES, counts
