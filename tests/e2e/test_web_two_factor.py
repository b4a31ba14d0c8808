"""A second factor over the live server: set up in a real browser (JavaScript on, off, on
a 360-px phone) from the secret shown in text, then the sign-in's second step with a code
and with a recovery code; and over the API, `otp` on `/auth/token`. axe on each page.

Each test signs up people of its own (through the admin's API), so that the demo's people,
whom other tests sign in with a password alone, keep no second factor."""

import re
import time
import uuid

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import offline_context
from tests.e2e.conftest import ADMIN
from tests.e2e.server import DEMO_PASSWORD, LiveServer
from tests.e2e.test_web_pages import WAYS, check_page

PAGE = "/compte/double-authentification"


def new_person(live_server: LiveServer, admin_token: str, role: str) -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@fedevaco.example"
    created = httpx.post(
        f"{live_server.url}/api/v1/users",
        json={"email": email, "full_name": "Awa Diop", "password": DEMO_PASSWORD, "roles": [role]},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert created.status_code == 201, created.text
    return email


def code_at(secret: str, seconds_from_now: float = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + seconds_from_now)


def password_step(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(f"{live_server.url}/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("way", list(WAYS))
def test_a_commission_member_sets_up_a_second_factor_and_signs_in_with_it(
    browser: Browser, live_server: LiveServer, token_of, way: str
):
    email = new_person(live_server, token_of(ADMIN), "commission")
    context, traffic = offline_context(browser, live_server.url, locale="fr-CH", **WAYS[way])
    page = context.new_page()
    password_step(page, live_server, email)
    expect(page.locator("h1")).to_contain_text("Bienvenue")
    page.get_by_role("link", name="Second facteur").click()
    expect(page.locator("h1")).to_have_text("Second facteur")
    check_page(page, traffic, "two-factor", way)

    page.get_by_role("button", name="Configurer un second facteur").click()
    expect(page.get_by_role("img", name="Code QR à scanner avec votre application")).to_be_visible()
    secret = page.locator("p.secret code").inner_text().replace(" ", "")
    check_page(page, traffic, "two-factor-qr", way)
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Activer le second facteur").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce n’est pas le code")
    check_page(page, traffic, "two-factor-refused", way)
    page.get_by_label("Code", exact=True).fill(code_at(secret))
    page.get_by_role("button", name="Activer le second facteur").click()
    expect(page.locator("h1")).to_have_text("Vos codes de secours")
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}(-[a-z2-9]{5}){3}", c) for c in codes)
    check_page(page, traffic, "recovery-codes", way)

    page.get_by_role("button", name="Se déconnecter").click()
    password_step(page, live_server, email)
    expect(page.locator("h1")).to_have_text("Code de connexion")
    check_page(page, traffic, "sign-in-code", way)
    page.get_by_label("Code").fill(code_at(secret, 30))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_contain_text("Bienvenue")

    # A lost phone: a recovery code signs in once.
    page.get_by_role("button", name="Se déconnecter").click()
    password_step(page, live_server, email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_contain_text("Bienvenue")
    page.get_by_role("button", name="Se déconnecter").click()
    password_step(page, live_server, email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce code n’est pas le bon")
    context.close()


def test_a_program_signs_in_with_otp(live_server: LiveServer, token_of):
    email = new_person(live_server, token_of(ADMIN), "secretariat")
    with httpx.Client(base_url=live_server.url) as client:
        form = {"username": email, "password": DEMO_PASSWORD}
        first = client.post("/api/v1/auth/token", data=form)
        assert first.status_code == 200
        headers = {"Authorization": f"Bearer {first.json()['access_token']}"}
        begun = client.post("/api/v1/me/two-factor", headers=headers).json()
        confirmed = client.post(
            "/api/v1/me/two-factor/confirm",
            json={"code": code_at(begun["secret"])},
            headers=headers,
        )
        assert confirmed.status_code == 200
        recovery = confirmed.json()["codes"]

        missing = client.post("/api/v1/auth/token", data=form)
        assert missing.status_code == 401
        assert missing.json()["type"] == "urn:fundflow:problem:otp-required"
        with_code = client.post(
            "/api/v1/auth/token", data={**form, "otp": code_at(begun["secret"], 30)}
        )
        assert with_code.status_code == 200
        with_recovery = client.post("/api/v1/auth/token", data={**form, "otp": recovery[0]})
        assert with_recovery.status_code == 200
        again = client.post("/api/v1/auth/token", data={**form, "otp": recovery[0]})
        assert again.status_code == 401
        token = with_recovery.json()["access_token"]
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["email"] == email
