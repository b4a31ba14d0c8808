"""The second factor in the browser, without JavaScript: set up from a QR code or the
secret in text, asked on the sign-in's second step, recovery codes, and the roles that
must set it up before anything else."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.core.config import get_settings
from tests.builders import PASSWORD, World
from tests.web.pages import csrf_token, send_form, sign_in

PAGE = "/compte/double-authentification"
CODE_PAGE = "/connexion/code"


def code_at(secret: str, seconds_from_now: float = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + seconds_from_now)


def set_up_in_pages(client: TestClient) -> tuple[str, list[str]]:
    begun = send_form(client, PAGE, f"{PAGE}/debut", {})
    assert begun.status_code == 303
    page = client.get(PAGE, headers={"Accept-Language": "fr"})
    assert "<svg" in page.text and "Code QR à scanner" in page.text
    found = re.search(r'<p class="secret" lang="en"><code>([A-Z2-7 ]+)</code>', page.text)
    assert found, page.text
    secret = found.group(1).replace(" ", "")
    confirmed = client.post(
        f"{PAGE}/confirmation", data={"csrftoken": csrf_token(page.text), "code": code_at(secret)}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.headers["cache-control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", confirmed.text)
    assert len(codes) == 10
    return secret, codes


def password_step(client: TestClient, email: str, next_page: str = "/"):  # type: ignore[no-untyped-def]
    return send_form(
        client,
        "/connexion",
        "/connexion",
        {"email": email, "password": PASSWORD, "next": next_page},
    )


def test_set_up_then_sign_in_with_the_code_on_a_second_step(
    browser_client: TestClient, world: World
):
    email = world.applicant_a.email
    sign_in(browser_client, email)
    secret, _ = set_up_in_pages(browser_client)
    page = browser_client.get(PAGE, headers={"Accept-Language": "fr"})
    assert "Codes de secours restants : 10." in page.text

    send_form(browser_client, "/", "/deconnexion", {})
    first = password_step(browser_client, email, "/compte/sessions")
    assert first.status_code == 303
    assert first.headers["location"] == f"{CODE_PAGE}?next=/compte/sessions"
    # The password alone opens nothing.
    assert browser_client.get("/compte/sessions").status_code == 303
    assert browser_client.get("/").headers["location"].startswith("/connexion")

    shown = browser_client.get(first.headers["location"], headers={"Accept-Language": "fr"})
    assert shown.status_code == 200 and 'autocomplete="one-time-code"' in shown.text
    wrong = browser_client.post(
        CODE_PAGE,
        data={"csrftoken": csrf_token(shown.text), "code": "000000", "next": "/compte/sessions"},
        headers={"Accept-Language": "fr"},
    )
    assert wrong.status_code == 400
    assert "Il y a un problème" in wrong.text and 'href="#code"' in wrong.text
    right = browser_client.post(
        CODE_PAGE,
        data={
            "csrftoken": csrf_token(shown.text),
            "code": code_at(secret, 30),
            "next": "/compte/sessions",
        },
    )
    assert right.status_code == 303 and right.headers["location"] == "/compte/sessions"
    assert browser_client.get("/compte/sessions").status_code == 200


def test_a_recovery_code_works_once_in_the_browser(browser_client: TestClient, world: World):
    email = world.applicant_a.email
    sign_in(browser_client, email)
    _, codes = set_up_in_pages(browser_client)
    for attempt, expected in ((1, 303), (2, 400)):
        browser_client.cookies.clear()
        password_step(browser_client, email)
        answer = send_form(browser_client, CODE_PAGE, CODE_PAGE, {"code": codes[0], "next": "/"})
        assert answer.status_code == expected, attempt


def test_the_second_step_expires_with_its_session(browser_client: TestClient, world: World):
    """Without the password step, the code page sends back to the sign-in."""
    answer = browser_client.get(CODE_PAGE)
    assert answer.status_code == 303 and answer.headers["location"] == "/connexion"


def test_new_recovery_codes_and_turning_off(browser_client: TestClient, world: World):
    sign_in(browser_client, world.applicant_a.email)
    secret, old = set_up_in_pages(browser_client)
    renewed = send_form(
        browser_client, PAGE, f"{PAGE}/codes-de-secours", {"code": code_at(secret, 30)}
    )
    assert renewed.status_code == 200
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", renewed.text)
    assert len(new) == 10 and set(new).isdisjoint(old)
    refused = send_form(browser_client, PAGE, f"{PAGE}/desactivation", {"code_off": "000000"})
    assert refused.status_code == 400 and 'href="#code_off"' in refused.text
    off = send_form(browser_client, PAGE, f"{PAGE}/desactivation", {"code_off": new[0]})
    assert off.status_code == 303 and off.headers["location"] == f"{PAGE}?off=1"
    browser_client.cookies.clear()
    assert password_step(browser_client, world.applicant_a.email).headers["location"] == "/"


def test_a_required_role_cannot_turn_it_off_in_the_page(browser_client: TestClient, world: World):
    sign_in(browser_client, world.secretariat.email)
    secret, _ = set_up_in_pages(browser_client)
    page = browser_client.get(PAGE, headers={"Accept-Language": "fr"})
    assert "desactivation" not in page.text
    forged = browser_client.post(
        f"{PAGE}/desactivation",
        data={"csrftoken": csrf_token(page.text), "code_off": code_at(secret, 30)},
    )
    assert forged.status_code == 400


@pytest.mark.parametrize("who", ["secretariat", "admin", "authority"])
def test_after_the_grace_period_every_page_leads_to_setting_it_up(
    browser_client: TestClient, world: World, session: Session, who: str
):
    user = getattr(world, who)
    user.created_at -= timedelta(days=get_settings().two_factor_grace_days + 1)
    session.add(user)
    session.commit()
    sign_in(browser_client, user.email)
    for path in ("/", "/compte/sessions"):
        answer = browser_client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == PAGE, path
    page = browser_client.get(PAGE, headers={"Accept-Language": "fr"})
    assert "Votre rôle exige un second facteur" in page.text
    set_up_in_pages(browser_client)
    assert browser_client.get("/").status_code == 200


def test_within_the_grace_period_the_page_says_by_when(browser_client: TestClient, world: World):
    sign_in(browser_client, world.authority.email)
    assert browser_client.get("/").status_code == 200
    page = browser_client.get(PAGE, headers={"Accept-Language": "fr"})
    assert "Votre rôle exige un second facteur : configurez-le d’ici le" in page.text


def test_the_pages_need_a_sign_in(browser_client: TestClient):
    answer = browser_client.get(PAGE)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion")
    forged = browser_client.post(f"{PAGE}/debut", data={})
    assert forged.status_code in (303, 403)
