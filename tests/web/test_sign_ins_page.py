"""The page of a person's sign-ins: each one listed, ended one by one, elsewhere or
everywhere, without JavaScript."""

import pytest
from fastapi.testclient import TestClient

from tests.builders import World, signed_in_api
from tests.web.pages import send_form, sign_in

PAGE = "/compte/sessions"


def test_the_page_lists_each_sign_in_and_ends_one(browser_client: TestClient, world: World):
    email = world.applicant_a.email
    script = signed_in_api(browser_client, email, "fundflow-sync script")
    sign_in(browser_client, email)
    page = browser_client.get(PAGE, headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Vos connexions" in page.text and "fundflow-sync script" in page.text
    assert "celle-ci" in page.text  # this browser's row
    listed = browser_client.get("/api/v1/me/sessions", headers=script).json()["items"]
    script_id = next(s["id"] for s in listed if s["current"])
    ended = send_form(browser_client, PAGE, f"{PAGE}/{script_id}/fin", {})
    assert ended.status_code == 303 and ended.headers["location"] == f"{PAGE}?ended=1"
    assert browser_client.get("/api/v1/me", headers=script).status_code == 401
    after = browser_client.get(ended.headers["location"])
    assert "fundflow-sync script" not in after.text
    assert 'role="status"' in after.text


def test_sign_out_everywhere_else_keeps_this_browser(browser_client: TestClient, world: World):
    email = world.secretariat.email
    others = [signed_in_api(browser_client, email, f"device {n}") for n in range(2)]
    sign_in(browser_client, email)
    answer = send_form(browser_client, PAGE, f"{PAGE}/fin-ailleurs", {})
    assert answer.status_code == 303
    assert all(browser_client.get("/api/v1/me", headers=h).status_code == 401 for h in others)
    assert browser_client.get(PAGE).status_code == 200


def test_sign_out_everywhere_signs_this_browser_out_too(browser_client: TestClient, world: World):
    sign_in(browser_client, world.commission.email)
    answer = send_form(browser_client, PAGE, f"{PAGE}/fin", {})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion?signed_out=1"
    assert browser_client.get(PAGE).status_code == 303  # to the sign-in page


def test_another_persons_sign_in_cannot_be_ended_from_the_page(
    browser_client: TestClient, world: World
):
    theirs = signed_in_api(browser_client, world.applicant_b.email, "their laptop")
    their_id = browser_client.get("/api/v1/me/sessions", headers=theirs).json()["items"][0]["id"]
    sign_in(browser_client, world.applicant_a.email)
    answer = send_form(browser_client, PAGE, f"{PAGE}/{their_id}/fin", {})
    assert answer.status_code == 404
    assert browser_client.get("/api/v1/me", headers=theirs).status_code == 200


def test_the_page_needs_a_sign_in_and_a_form_needs_its_token(
    browser_client: TestClient, world: World
):
    assert browser_client.get(PAGE).status_code == 303
    sign_in(browser_client, world.applicant_a.email)
    forged = browser_client.post(f"{PAGE}/fin", data={})
    assert forged.status_code == 403
    assert browser_client.get(PAGE).status_code == 200  # still signed in


@pytest.mark.parametrize(
    "who", ["admin", "secretariat", "commission", "applicant_a", "applicant_b", "authority"]
)
def test_every_role_sees_its_own_sign_ins_only(browser_client: TestClient, world: World, who: str):
    others = {"applicant_b": "applicant_a"}.get(who, "applicant_b")
    signed_in_api(browser_client, getattr(world, others).email, "someone else's laptop")
    signed_in_api(browser_client, getattr(world, who).email, "my own script")
    sign_in(browser_client, getattr(world, who).email)
    page = browser_client.get(PAGE)
    assert page.status_code == 200
    assert "my own script" in page.text
    assert "someone else" not in page.text
