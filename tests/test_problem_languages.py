"""The API's problems in the client's language: French with `Accept-Language: fr`, English
as written otherwise; the same catalogues as the pages."""

from fastapi.testclient import TestClient

from tests.builders import World, proposal_payload

FRENCH = {"accept-language": "fr-CH, fr;q=0.9, en;q=0.5"}


def test_not_found_in_french_and_in_english(client: TestClient, world: World):
    headers = world.headers("applicant_a")
    english = client.get("/api/v1/proposals/999999", headers=headers)
    assert english.json()["title"] == "Not found"
    assert english.json()["detail"] == "Proposal 999999 does not exist or is not visible to you"
    assert "content-language" not in english.headers
    french = client.get("/api/v1/proposals/999999", headers=headers | FRENCH)
    assert french.status_code == 404 and french.headers["content-language"] == "fr"
    assert french.json()["title"] == "Introuvable"
    assert french.json()["detail"] == "Demande 999999 : introuvable, ou vous n’y avez pas accès"
    assert french.json()["type"] == english.json()["type"]


def test_a_refused_submission_explains_each_rule_in_french(client: TestClient, world: World):
    headers = world.headers("applicant_a")
    payload = proposal_payload(world.call, None, summary=None)
    created = client.post("/api/v1/proposals", json=payload, headers=headers).json()
    refused = client.post(
        f"/api/v1/proposals/{created['id']}/transitions",
        json={"action": "submit"},
        headers=headers | FRENCH,
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["title"] == "Une règle l’interdit"
    assert body["detail"] == "« submit » n’est pas possible maintenant."
    messages = {e["rule"]: e["message"] for e in body["errors"]}
    assert messages["complete"] == "Il manque encore : le résumé."
    assert messages["partner_required"].startswith("Indiquez l’organisation partenaire")
    english = client.post(
        f"/api/v1/proposals/{created['id']}/transitions",
        json={"action": "submit"},
        headers=headers,
    ).json()
    assert {e["rule"]: e["message"] for e in english["errors"]}["complete"] == (
        "Still missing: summary."
    )


def test_a_malformed_request_and_a_missing_token_in_french(client: TestClient, world: World):
    bad = client.post(
        "/api/v1/proposals",
        json={"call_id": world.call.id, "title": "Puits", "start_date": "demain"},
        headers=world.headers("applicant_a") | FRENCH,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "La requête n’a pas la forme attendue."
    [error] = bad.json()["errors"]
    assert error["loc"] == ["body", "start_date"]
    assert error["message"] == "Donnez une date, par exemple 2027-03-01."
    anonymous = client.get("/api/v1/proposals", headers=FRENCH)
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("Envoyez un jeton d’accès")


def test_a_wrong_file_is_refused_in_french(client: TestClient, world: World):
    proposal = world.proposal()
    refused = client.post(
        f"/api/v1/proposals/{proposal.id}/documents",
        files={"file": ("photo.pdf", b"GIF89a\x01\x00\x01\x00", "application/pdf")},
        headers=world.headers("applicant_a") | FRENCH,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Ce type de fichier n’est pas accepté."
    [error] = refused.json()["errors"]
    assert error["message"].startswith("Acceptés : ") and error["message"].endswith("gif.")


def test_what_blocks_an_action_is_said_in_the_client_s_language(client: TestClient, world: World):
    headers = world.headers("applicant_a")
    payload = proposal_payload(world.call, world.partner_a, summary=None)
    created = client.post("/api/v1/proposals", json=payload, headers=headers).json()
    url = f"/api/v1/proposals/{created['id']}/transitions"

    def blocking(extra: dict[str, str]) -> dict[str, str]:
        answer = client.get(url, headers=headers | extra)
        assert answer.status_code == 200, answer.text
        [submit] = [o for o in answer.json() if o["action"] == "submit"]
        return {b["rule"]: b["message"] for b in submit["blocked_by"]}

    assert blocking({})["complete"] == "Still missing: summary."
    assert blocking(FRENCH)["complete"] == "Il manque encore : le résumé."
