"""Coaching on drafts over the API: an association shares its draft and asks for advice;
the secretariat comments per section, for the association or internally; both answer and
resolve; the association never receives an internal comment, in a list, an answer or an
event; nobody else takes part."""

from fastapi.testclient import TestClient

from tests.builders import World
from tests.mail import Inbox


def shared_draft(client: TestClient, world: World) -> int:
    proposal = world.proposal()
    secretariat = world.headers("secretariat")
    assert client.get(f"/api/v1/proposals/{proposal.id}", headers=secretariat).status_code == 404
    shared = client.post(
        f"/api/v1/proposals/{proposal.id}/advice-request", headers=world.headers("applicant_a")
    )
    assert shared.status_code == 200, shared.text
    assert client.get(f"/api/v1/proposals/{proposal.id}", headers=secretariat).status_code == 200
    return proposal.id or 0


def test_the_secretariat_coaches_a_shared_draft_and_internal_notes_stay_internal(
    client: TestClient, world: World, inbox: Inbox
):
    pid = shared_draft(client, world)
    url = f"/api/v1/proposals/{pid}/comments"
    secretariat, association = world.headers("secretariat"), world.headers("applicant_a")
    advice = client.post(
        url,
        headers=secretariat,
        json={
            "section": "budget",
            "body": "Détaillez le coût des tuyaux.",
            "visibility": "association",
        },
    )
    assert advice.status_code == 201, advice.text
    note = client.post(
        url,
        headers=secretariat,
        json={"section": "budget", "body": "Devis gonflé ?", "visibility": "internal"},
    )
    assert note.status_code == 201
    internal_answer = client.post(
        url,
        headers=secretariat,
        json={"body": "À vérifier en commission.", "parent_id": note.json()["id"]},
    )
    assert internal_answer.json()["visibility"] == "internal"
    assert internal_answer.json()["section"] == "budget"

    seen_by_association = client.get(url, headers=association).json()["items"]
    assert [c["body"] for c in seen_by_association] == ["Détaillez le coût des tuyaux."]
    assert len(client.get(url, headers=secretariat).json()["items"]) == 3
    events = client.get(f"/api/v1/proposals/{pid}/events", headers=association).json()["items"]
    assert "Devis" not in str(events) and [e["action"] for e in events].count("comment") == 1
    # The association can neither answer nor resolve what it cannot see.
    for attempt in (
        client.post(url, headers=association, json={"body": "?", "parent_id": note.json()["id"]}),
        client.patch(f"{url}/{note.json()['id']}", headers=association, json={"resolved": True}),
    ):
        assert attempt.status_code == 404
    refused = client.post(url, headers=association, json={"body": "x", "visibility": "internal"})
    assert refused.status_code == 422

    answer = client.post(
        url,
        headers=association,
        json={"body": "Voici le devis détaillé.", "parent_id": advice.json()["id"]},
    )
    assert answer.status_code == 201 and answer.json()["visibility"] == "association"
    resolved = client.patch(
        f"{url}/{advice.json()['id']}", headers=secretariat, json={"resolved": True}
    )
    assert resolved.json()["resolved"] is True
    assert [c["resolved"] for c in client.get(url, headers=association).json()["items"]] == [
        True,
        False,
    ]
    # The association's members were told of the comment meant for them, and only of it.
    subjects = [subject for _, subject, _ in inbox.messages]
    assert len(subjects) == 1 and "Drinking water" in subjects[0]
    assert "Devis" not in str(inbox.messages)


def test_others_take_no_part(client: TestClient, world: World):
    pid = shared_draft(client, world)
    url = f"/api/v1/proposals/{pid}/comments"
    for who, status in (("applicant_b", 404), ("commission", 404), ("authority", 404)):
        assert client.get(url, headers=world.headers(who)).status_code == status, who
        posted = client.post(url, headers=world.headers(who), json={"body": "Intrus"})
        assert posted.status_code == status, who
    sharing = client.post(
        f"/api/v1/proposals/{pid}/advice-request", headers=world.headers("secretariat")
    )
    assert sharing.status_code == 403


def test_a_submitted_proposal_is_not_shared_again(client: TestClient, world: World):
    proposal = world.proposal(status="submitted")  # type: ignore[arg-type]
    answer = client.post(
        f"/api/v1/proposals/{proposal.id}/advice-request", headers=world.headers("applicant_a")
    )
    assert answer.status_code == 409
