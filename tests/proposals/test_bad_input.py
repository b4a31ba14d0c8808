"""Bad input gets a problem+json 4xx and leaves the database exactly as it was."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from fundflow.core.audit import Event
from fundflow.proposals.models import BudgetLine, Proposal
from tests.builders import World, proposal_payload


def snapshot(session: Session) -> tuple[Any, ...]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Proposal)),
        session.scalar(select(func.count()).select_from(BudgetLine)),
        session.scalar(select(func.count()).select_from(Event)),
        tuple(
            session.execute(
                select(Proposal.id, Proposal.title, Proposal.status, Proposal.version).order_by(
                    Proposal.id
                )
            ).all()
        ),
    )


def problem(response, status: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def with_budget_amount(world: World, amount: Any) -> dict[str, Any]:
    return proposal_payload(
        world.call,
        world.partner_a,
        budget_lines=[{"category": "investment", "description": "Pipes", "amount": amount}],
    )


BAD_CREATES = {
    "three decimals": lambda w: with_budget_amount(w, "12.345"),
    "three decimals as a number": lambda w: with_budget_amount(w, 12.345),
    "negative amount": lambda w: with_budget_amount(w, "-100.00"),
    "negative number": lambda w: with_budget_amount(w, -100),
    "NaN string": lambda w: with_budget_amount(w, "NaN"),
    "infinity": lambda w: with_budget_amount(w, "Infinity"),
    "end before start": lambda w: proposal_payload(
        w.call, w.partner_a, start_date="2027-05-01", end_date="2027-04-30"
    ),
    "unknown country": lambda w: proposal_payload(w.call, w.partner_a, country="ZZ"),
    "unknown priority": lambda w: proposal_payload(w.call, w.partner_a, priorities=["space"]),
    "unknown budget category": lambda w: proposal_payload(
        w.call,
        w.partner_a,
        budget_lines=[{"category": "bribes", "description": "x", "amount": "1.00"}],
    ),
    "a status field": lambda w: proposal_payload(w.call, w.partner_a, status="in_review"),
    "another association's partner": lambda w: proposal_payload(w.call, w.partner_b),
    "an unknown call": lambda w: proposal_payload(w.call, w.partner_a, call_id=99999),
}


@pytest.mark.parametrize("case", list(BAD_CREATES))
def test_bad_create_is_refused_and_changes_nothing(
    client: TestClient, world: World, session: Session, case: str
):
    world.proposal()
    before = snapshot(session)
    response = client.post(
        "/api/v1/proposals", json=BAD_CREATES[case](world), headers=world.headers("applicant_a")
    )
    body = problem(response, 404 if case == "an unknown call" else 422)
    if response.status_code == 422:
        assert body["errors"], body
    assert snapshot(session) == before


def test_nan_literal_in_json_is_refused(client: TestClient, world: World, session: Session):
    before = snapshot(session)
    raw = json.dumps(with_budget_amount(world, 1.0)).replace("1.0", "NaN")
    response = client.post(
        "/api/v1/proposals",
        content=raw,
        headers={**world.headers("applicant_a"), "Content-Type": "application/json"},
    )
    problem(response, 422)
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("field", "value", "loc"),
    [
        (
            "budget_lines",
            [{"category": "staff", "description": "x", "amount": "1.001"}],
            ["body", "budget_lines", "0", "amount"],
        ),
        ("end_date", "2020-01-01", ["body", "end_date"]),
        ("country", "XX", ["body", "country"]),
        ("priorities", ["water", "moon"], ["body", "priorities"]),
        ("title", None, ["body", "title"]),
    ],
)
def test_bad_patch_is_refused_and_changes_nothing(
    client: TestClient, world: World, session: Session, field: str, value: Any, loc: list[str]
):
    proposal = world.proposal()
    before = snapshot(session)
    response = client.patch(
        f"/api/v1/proposals/{proposal.id}",
        json={field: value},
        headers=world.headers("applicant_a"),
    )
    body = problem(response, 422)
    assert any(error.get("loc", [])[: len(loc)] == loc for error in body["errors"]), body
    assert snapshot(session) == before


def test_submit_without_required_partner_is_refused(
    client: TestClient, world: World, session: Session
):
    proposal = world.proposal(partner_id=None)
    before = snapshot(session)
    response = client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        json={"action": "submit"},
        headers=world.headers("applicant_a"),
    )
    body = problem(response, 422)
    assert [e["rule"] for e in body["errors"]] == ["partner_required"]
    assert snapshot(session) == before


def test_oversized_body_is_413(client: TestClient, world: World, session: Session):
    before = snapshot(session)
    payload = proposal_payload(world.call, world.partner_a, summary="x" * (1024 * 1024 + 10))
    response = client.post("/api/v1/proposals", json=payload, headers=world.headers("applicant_a"))
    problem(response, 413)
    assert snapshot(session) == before


def test_streamed_oversized_body_is_413(client: TestClient, world: World):
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 65536

    response = client.post(
        "/api/v1/proposals",
        content=chunks(),
        headers={**world.headers("applicant_a"), "Content-Type": "application/json"},
    )
    problem(response, 413)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_wrong_content_type_is_415(
    client: TestClient, world: World, session: Session, content_type: str
):
    before = snapshot(session)
    response = client.post(
        "/api/v1/proposals",
        content=json.dumps(proposal_payload(world.call, world.partner_a)),
        headers={**world.headers("applicant_a"), "Content-Type": content_type},
    )
    problem(response, 415)
    assert snapshot(session) == before


def test_malformed_json_is_422(client: TestClient, world: World, session: Session):
    before = snapshot(session)
    response = client.post(
        "/api/v1/proposals",
        content=b'{"call_id": 1, "title": ',
        headers={**world.headers("applicant_a"), "Content-Type": "application/json"},
    )
    problem(response, 422)
    assert snapshot(session) == before


def test_bad_query_parameters_are_422(client: TestClient, world: World):
    headers = world.headers("secretariat")
    problem(client.get("/api/v1/proposals?limit=0", headers=headers), 422)
    problem(client.get("/api/v1/proposals?limit=201", headers=headers), 422)
    problem(client.get("/api/v1/proposals?cursor=not-a-cursor", headers=headers), 422)
    problem(client.get("/api/v1/proposals?status=approved_by_magic", headers=headers), 422)


def test_unknown_route_and_method_are_problems(client: TestClient, world: World):
    problem(client.get("/api/v1/nothing-here", headers=world.headers("secretariat")), 404)
    problem(client.delete("/api/v1/calls", headers=world.headers("secretariat")), 405)
