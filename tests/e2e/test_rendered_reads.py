"""The live server reuses rendered proposals in its lists: every change shows at once,
and a listed proposal is what its own detail says."""

from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import APPLICANT, SECRETARIAT, new_draft
from tests.e2e.server import LiveServer


def listed(client: Any, proposal_id: int) -> dict[str, Any]:
    page = client.get("/api/v1/proposals", params={"limit": 200})
    assert page.status_code == 200, page.text
    return next(item for item in page.json()["items"] if item["id"] == proposal_id)


def test_each_change_shows_in_the_list_the_moment_it_is_saved(
    live_server: LiveServer, token_of: Callable[[str], str]
) -> None:
    with live_server.client(token_of(APPLICANT)) as client:
        draft = new_draft(client)
        assert listed(client, draft["id"])["title"] == draft["title"]
        for round_ in range(12):
            body: dict[str, Any] = {"title": f"Puits solaires, version {round_}"}
            if round_ % 3 == 1:
                amount = f"{1000 + round_}.00"
                body["budget_lines"] = [
                    {"category": "investment", "description": "Pompe", "amount": amount}
                ]
            if round_ % 3 == 2:
                body["logframe"] = {"goal": f"But {round_}", "outcomes": []}
            changed = client.patch(f"/api/v1/proposals/{draft['id']}", json=body)
            assert changed.status_code == 200, changed.text
            # Read twice: the second answer comes from what the first rendered.
            for _ in range(2):
                item = listed(client, draft["id"])
                assert item == changed.json()
                assert item == client.get(f"/api/v1/proposals/{draft['id']}").json()
        shown_to_applicant = listed(client, draft["id"])
    with live_server.client(token_of(SECRETARIAT)) as secretariat:
        # A draft is its association's alone, rendered or not.
        ids = [
            item["id"]
            for item in secretariat.get("/api/v1/proposals", params={"limit": 200}).json()["items"]
        ]
        assert draft["id"] not in ids
        assert shown_to_applicant["title"] == "Puits solaires, version 11"
