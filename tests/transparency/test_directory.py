"""The public directory of associations and initiatives: only associations that opt in,
only what they choose to show, nothing personal; filters; similar initiatives of other
listed associations found by the similarity screening; each association keeps its own
entry."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import World, make_partner
from tests.proposals.similarity.corpus import WATER, WATER_RETITLED


def entry(client: TestClient, world: World, who: str, organisation_id: int, **fields: Any):  # type: ignore[no-untyped-def]
    return client.put(
        f"/api/v1/organisations/{organisation_id}/directory-entry",
        headers=world.headers(who),
        json={"listed": True} | fields,
    )


def test_only_listed_associations_and_only_what_they_show(client: TestClient, world: World):
    assert client.get("/api/v1/public/organisations").json() == []
    saved = entry(
        client,
        world,
        "applicant_a",
        world.org_a.id,
        presentation="Puits et écoles dans l'Anti-Atlas.",
        themes=["water"],
        show_city=False,
        initiatives=[{"title": "Cours d'arabe à Lausanne", "country": "CH", "theme": "education"}],
    )
    assert saved.status_code == 200, saved.text
    listed = client.get("/api/v1/public/organisations").json()
    assert [o["name"] for o in listed] == ["Association Tafraout Solidarité"]
    public = listed[0]
    assert public["city"] is None and public["origins"] == ["MA"]
    assert [t["code"] for t in public["themes"]] == ["water"]
    assert "CH" in public["countries"]
    assert "@" not in client.get(f"/api/v1/public/organisations/{world.org_a.id}").text
    assert client.get(f"/api/v1/public/organisations/{world.org_b.id}").status_code == 404
    # Opting out removes it at once.
    entry(client, world, "applicant_a", world.org_a.id, listed=False, version=1)
    assert client.get("/api/v1/public/organisations").json() == []


def test_filters_by_origin_theme_and_country(client: TestClient, world: World):
    entry(client, world, "applicant_a", world.org_a.id, themes=["water"])
    entry(
        client,
        world,
        "applicant_b",
        world.org_b.id,
        initiatives=[{"title": "Jardin de Podor", "country": "SN", "theme": "food"}],
    )

    def names(**query: str) -> list[str]:
        listed = client.get("/api/v1/public/organisations", params=query).json()
        return [o["name"] for o in listed]

    assert names(origin="SN") == ["Teranga Vaud"]
    assert names(theme="water") == ["Association Tafraout Solidarité"]
    assert names(country="SN") == ["Teranga Vaud"]
    assert client.get("/api/v1/public/organisations", params={"origin": "zz9"}).status_code == 422


def test_similar_initiatives_of_other_listed_associations(
    client: TestClient, world: World, session: Session
):
    ours = world.signed(content=WATER)
    partner = make_partner(
        session, world.org_b, country="MA", name="Partner of Association Tafraout Solidarite"
    )
    theirs = world.signed(
        content=WATER_RETITLED | {"owner": "b", "country": "MA", "partner_id": partner.id}
    )
    entry(client, world, "applicant_a", world.org_a.id)
    entry(
        client,
        world,
        "applicant_b",
        world.org_b.id,
        initiatives=[{"title": "Comité de l'eau de Tafraout", "country": "MA", "theme": "water"}],
    )
    detail = client.get(f"/api/v1/public/organisations/{world.org_a.id}").json()
    assert [p["project_id"] for p in detail["projects"]] == [ours.id]
    similar = {(s["organisation"], s["title"]): s for s in detail["similar_initiatives"]}
    assert ("Teranga Vaud", theirs.title) in similar
    assert similar[("Teranga Vaud", theirs.title)]["project_id"] == theirs.id
    assert ("Teranga Vaud", "Comité de l'eau de Tafraout") in similar


def test_an_association_keeps_its_own_entry_only(client: TestClient, world: World):
    assert entry(client, world, "applicant_b", world.org_a.id).status_code == 404
    assert entry(client, world, "secretariat", world.org_a.id).status_code == 403
    refused = entry(client, world, "applicant_a", world.org_a.id, email="x@example.org")
    assert refused.status_code == 422
    assert (
        entry(client, world, "applicant_a", world.org_a.id, themes=["Not A Code"]).status_code
        == 422
    )
    first = entry(client, world, "applicant_a", world.org_a.id)
    assert first.json()["version"] == 1
    assert entry(client, world, "applicant_a", world.org_a.id, version=1).status_code == 200
    assert entry(client, world, "applicant_a", world.org_a.id, version=1).status_code == 409
