"""The public register shows funded projects only, and nothing personal."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.proposals.models import ProposalStatus
from tests.builders import World
from tests.proposals.test_listing import counting_queries

PUBLIC_FIELDS = {
    "project_id",
    "title",
    "summary",
    "organisation",
    "country",
    "locality",
    "partner_country",
    "call",
    "year",
    "granted_amount",
    "currency",
    "status",
    "start_date",
    "end_date",
    "priorities",
}


def test_only_funded_projects_without_personal_data(client: TestClient, world: World):
    funded = world.decided()
    world.proposal()  # a draft
    world.proposal(status=ProposalStatus.SUBMITTED)
    world.decided("rejected")
    response = client.get("/api/v1/public/projects")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["project_id"] for item in items] == [funded.project.id]
    item = items[0]
    assert set(item) == PUBLIC_FIELDS
    assert (item["organisation"], item["country"], item["partner_country"]) == (
        "Association Tafraout Solidarité",
        "MA",
        "MA",
    )
    assert (item["granted_amount"], item["status"], item["year"]) == (
        "35000.00",
        "contracting",
        world.call.year,
    )
    assert item["priorities"] == [{"code": "water", "label": "Eau et assainissement"}]
    text = response.text
    for private in ("@", "reviewer", "score", "rationale", "version"):
        assert private not in text, private


def test_filters_by_year_country_and_priority(client: TestClient, world: World):
    water = world.decided()
    schools = world.reviewed(owner="b", priorities=["education"])
    client.post(
        f"/api/v1/proposals/{schools.id}/transitions",
        headers=world.headers("secretariat"),
        json={
            "action": "decide",
            "outcome": "approved",
            "granted_amount": "20000.00",
            "rationale": "Retenu.",
        },
    )

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/public/projects{query}")
        assert response.status_code == 200, response.text
        return [item["project_id"] for item in response.json()["items"]]

    both = ids("")
    assert len(both) == 2 and water.project.id in both
    assert ids("?country=ma") == [water.project.id]
    assert ids("?priority=education") == [p for p in both if p != water.project.id]
    assert ids(f"?year={world.call.year}") == both
    assert ids(f"?year={world.call.year + 1}") == []
    assert client.get("/api/v1/public/projects?country=ZZ").status_code == 422


def test_register_costs_the_same_queries_for_any_page(
    client: TestClient, world: World, session: Session
):
    for _ in range(4):
        world.decided()
    counts = {}
    for limit in (1, 200):
        with counting_queries(session) as statements:
            assert client.get(f"/api/v1/public/projects?limit={limit}").status_code == 200
        counts[limit] = len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])
    assert counts[1] == counts[200] <= 5, counts


def test_a_project_says_who_co_finances_it_and_what_it_reached(
    client: TestClient, world: World, session: Session
):
    anonymous = world.envelope_of("Commune de Discrète", named_publicly=False)
    project = world.signed(shares=((world.envelope, "20000.00"), (anonymous, "15000.00")))
    report = world.submitted_report(project)
    client.post(
        f"/api/v1/reports/{report.id}/transitions",
        headers=world.headers("secretariat"),
        json={"action": "approve"},
    )
    page = client.get(f"/api/v1/public/projects/{project.id}")
    assert page.status_code == 200, page.text
    detail = page.json()
    assert [(f["funder"], f["level"], f["amount"]) for f in detail["co_financing"]] == [
        ("Direction du développement et de la coopération", "federal", "20000.00"),
        (None, "communal", "15000.00"),
    ]
    assert "Discrète" not in page.text
    assert {r["indicator"] for r in detail["results"]} >= {"Households with tap water"}
    assert {r["reached"] for r in detail["results"]} == {"1"}, detail["results"]
    assert client.get("/api/v1/public/projects/999999").status_code == 404
    # The funder filter finds a funder named publicly, never one that asked not to be.
    funder_id = world.funder.id
    listed = client.get("/api/v1/public/projects", params={"funder_id": funder_id}).json()
    assert [p["project_id"] for p in listed["items"]] == [project.id]
    hidden = client.get("/api/v1/public/projects", params={"funder_id": anonymous.funder_id})
    assert hidden.json()["items"] == []
