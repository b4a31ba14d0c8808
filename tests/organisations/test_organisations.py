from fastapi.testclient import TestClient

from tests.builders import World


def test_secretariat_registers_and_updates_an_association(client: TestClient, world: World):
    headers = world.headers("secretariat")
    created = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={
            "name": "Ura – Association kosovare de Vaud",
            "seat_canton": "vd",
            "seat_city": "Yverdon-les-Bains",
            "is_diaspora_led": True,
            "diaspora_origins": ["xk"],
            "membership_status": "applicant",
            "audited_accounts_years": [2024, 2025],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["seat_canton"] == "VD" and body["diaspora_origins"] == ["XK"]
    assert body["kind"] == "association" and body["country"] == "CH"
    updated = client.patch(
        f"/api/v1/organisations/{body['id']}",
        headers=headers,
        json={"membership_status": "member", "membership_since": "2026-11-20", "version": 1},
    )
    assert updated.json()["membership_status"] == "member" and updated.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/organisations/{body['id']}",
        headers=headers,
        json={"zewo_certified": True, "version": 1},
    )
    assert stale.status_code == 409
    duplicate = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={"name": "Ura – Association kosovare de Vaud"},
    )
    assert duplicate.status_code == 409


def test_organisation_input_is_validated(client: TestClient, world: World):
    headers = world.headers("secretariat")
    for payload in (
        {"name": "X Y", "seat_canton": "ZZ"},
        {"name": "X Y", "country": "QQ"},
        {"name": "X Y", "membership_status": "vip"},
        {"name": "X Y", "diaspora_origins": ["Morocco"]},
    ):
        assert (
            client.post("/api/v1/organisations", headers=headers, json=payload).status_code == 422
        ), payload


def test_an_applicant_sees_its_own_organisation_only(client: TestClient, world: World):
    listed = client.get("/api/v1/organisations", headers=world.headers("applicant_a")).json()[
        "items"
    ]
    assert [o["id"] for o in listed] == [world.org_a.id]
    members = client.get(
        "/api/v1/organisations?membership_status=member", headers=world.headers("secretariat")
    ).json()["items"]
    assert {o["id"] for o in members} == {world.org_a.id, world.org_b.id}


def test_applicants_register_partners_for_themselves(client: TestClient, world: World):
    response = client.post(
        "/api/v1/partners",
        headers=world.headers("applicant_a"),
        json={
            "name": "Coopérative Tighmert",
            "country": "MA",
            "locality": "Guelmim",
            "kind": "cooperative",
        },
    )
    assert response.json()["organisation_id"] == world.org_a.id
    foreign = client.post(
        "/api/v1/partners",
        headers=world.headers("applicant_a"),
        json={"name": "Someone else's", "country": "SN", "organisation_id": world.org_b.id},
    )
    assert foreign.status_code == 403
    shared = client.post(
        "/api/v1/partners",
        headers=world.headers("secretariat"),
        json={"name": "Swiss TPH", "country": "CH"},
    )
    assert shared.json()["organisation_id"] is None
    seen_by_a = client.get("/api/v1/partners", headers=world.headers("applicant_a")).json()
    assert {p["id"] for p in seen_by_a["items"]} == {
        world.partner_a.id,
        response.json()["id"],
        shared.json()["id"],
    }
    by_country = client.get("/api/v1/partners?country=sn", headers=world.headers("secretariat"))
    assert [p["id"] for p in by_country.json()["items"]] == [world.partner_b.id]
