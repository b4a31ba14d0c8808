"""The reads the web pages and clients call most cost at most three SQL statements, the
caller's own included, whatever the size of what they return: the caller, then the
resource with who may see it in the same statement (a list: its page of ids, then their
content)."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import World
from tests.proposals.test_listing import add_drafts, counting_queries

MAX_STATEMENTS = 3


def _statements(client: TestClient, session: Session, url: str, headers: dict[str, str]) -> int:
    with counting_queries(session) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("applicant_a", "/api/v1/me", 2),
        ("applicant_a", "/api/v1/proposals/{proposal}", 2),
        ("secretariat", "/api/v1/proposals/{proposal}", 2),
        ("applicant_a", "/api/v1/proposals?limit=50", 3),
        ("secretariat", "/api/v1/proposals?limit=50", 3),
        ("secretariat", "/api/v1/projects/{project}", 2),
        ("authority", "/api/v1/projects/{project}", 2),
        ("secretariat", "/api/v1/projects?limit=50", 2),
    ],
)
def test_a_read_costs_at_most_three_statements(
    client: TestClient, world: World, session: Session, who: str, url: str, expected: int
):
    project = world.signed()
    add_drafts(world, 30)
    proposal = world.proposal(status="submitted")  # type: ignore[arg-type]
    ids = {"proposal": proposal.id, "project": project.id}
    count = _statements(client, session, url.format(**ids), world.headers(who))
    # At most: the test's session may already hold a row the server would read (the
    # caller's account for /me).
    assert count <= expected <= MAX_STATEMENTS, count


def test_each_proposal_reads_its_own_lines(client: TestClient, world: World):
    """The lists aggregated in the database belong to their own proposal only."""
    headers = world.headers("applicant_a")
    made = []
    for amount in ("1000.00", "2500.50"):
        created = client.post(
            "/api/v1/proposals",
            headers=headers,
            json={
                "call_id": world.call.id,
                "title": f"Projet à {amount}",
                "budget_lines": [
                    {"category": "staff", "description": "Coordination", "amount": amount}
                ],
                "logframe": {
                    "goal": "But",
                    "outcomes": [
                        {
                            "statement": f"Effet {amount}",
                            "outputs": [{"statement": "Produit", "indicators": []}],
                        }
                    ],
                },
            },
        )
        assert created.status_code == 201, created.text
        made.append(created.json())
    for sent in made:
        read = client.get(f"/api/v1/proposals/{sent['id']}", headers=headers).json()
        assert read == sent
        assert [line["amount"] for line in read["budget_lines"]] == [
            sent["budget_lines"][0]["amount"]
        ]
        assert len(read["logframe"]["outcomes"]) == 1
    listed = client.get("/api/v1/proposals?limit=200", headers=headers).json()["items"]
    by_id = {item["id"]: item for item in listed}
    assert [by_id[sent["id"]] for sent in made] == made
