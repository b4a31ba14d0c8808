"""Each criterion may say what its scores mean, level by level (the anchors reviewers
score against): kept on the call, shown beside the score on the review form."""

from typing import Any

from fastapi.testclient import TestClient

from tests.builders import World, call_payload


def criteria_with(guidance: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "code": "relevance",
            "label": "Pertinence",
            "weight": "2",
            "max_score": "5",
            "guidance": guidance,
        }
    ]


def test_a_call_keeps_its_anchors_in_score_order(client: TestClient, world: World):
    created = client.post(
        "/api/v1/calls",
        headers=world.headers("secretariat"),
        json=call_payload(
            criteria=criteria_with(
                {"5": "Au cœur des priorités", "1.0": "Hors sujet", "3": "En lien"}
            )
        ),
    )
    assert created.status_code == 201, created.text
    [criterion] = created.json()["criteria"]
    assert list(criterion["guidance"].items()) == [
        ("1", "Hors sujet"),
        ("3", "En lien"),
        ("5", "Au cœur des priorités"),
    ]
    read = client.get(f"/api/v1/calls/{created.json()['id']}", headers=world.headers("secretariat"))
    assert read.json()["criteria"][0]["guidance"] == criterion["guidance"]


def test_an_anchor_off_the_scale_is_refused(client: TestClient, world: World):
    for level in ("7", "2.3", "-1", "beaucoup"):
        refused = client.post(
            "/api/v1/calls",
            headers=world.headers("secretariat"),
            json=call_payload(criteria=criteria_with({level: "?"})),
        )
        assert refused.status_code == 422, level
