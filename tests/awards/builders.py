"""An award round as the secretariat sets it up over the API, and nominations in it."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from fundflow.core.dbtypes import utcnow
from tests.builders import World

CATEGORIES = [
    {"code": "employer", "label": "Employeur intégrant", "label_en": "Integrating employer"},
    {
        "code": "diaspora",
        "label": "Initiative de la diaspora",
        "label_en": "Diaspora initiative",
    },
]
CRITERIA = [
    {"code": "impact", "label": "Impact", "weight": "2", "max_score": "5"},
    {"code": "exemplary", "label": "Exemplarité", "weight": "1", "max_score": "5"},
]


def round_payload(**overrides: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "kind": "award",
        "title": "Prix de l'intégration 2027",
        "year": now.year + 1,
        "opens_at": (now - timedelta(days=10)).isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "categories": CATEGORIES,
        "criteria": CRITERIA,
    } | overrides


def open_round(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    headers = world.headers("secretariat")
    created = client.post("/api/v1/calls", json=round_payload(**overrides), headers=headers)
    assert created.status_code == 201, created.text
    call = created.json()
    opened = client.post(
        f"/api/v1/calls/{call['id']}/transitions", json={"action": "open"}, headers=headers
    )
    assert opened.status_code == 200, opened.text
    return opened.json()


def nomination(call_id: int, **nominee: Any) -> dict[str, Any]:
    """A nomination of an employer by others unless ``nominee`` says otherwise."""
    return {
        "call_id": call_id,
        "title": nominee.pop("title", "Apprentissages pour réfugiés chez Menuiserie Rochat"),
        "summary": nominee.pop(
            "summary",
            "Depuis 2022, l'entreprise forme chaque année quatre apprentis réfugiés, "
            "avec un parrainage par un employé.",
        ),
        "country": "CH",
        "locality": nominee.pop("locality", "Yverdon-les-Bains"),
        "nomination": {
            "category": "employer",
            "nominee_name": "Menuiserie Rochat SA",
            "nominee_kind": "employer",
            "nominee_email": "direction@rochat.example",
        }
        | nominee,
    }


def nominate(
    client: TestClient, world: World, who: str, body: dict[str, Any], *, submit: bool = True
) -> dict[str, Any]:
    headers = world.headers(who)
    created = client.post("/api/v1/proposals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    proposal = created.json()
    if submit:
        submitted = client.post(
            f"/api/v1/proposals/{proposal['id']}/transitions",
            json={"action": "submit"},
            headers=headers,
        )
        assert submitted.status_code == 200, submitted.text
        proposal = submitted.json()
    return proposal
