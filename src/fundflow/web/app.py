"""The web interface, mounted on the API's application: its pages, its assets, CSRF
protection for its forms, and its errors as pages."""

from pathlib import Path

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from fundflow.core.config import Settings
from fundflow.web.deps import SignInRequired
from fundflow.web.errors import csrf_refused, install_page_errors, is_page, redirect_to_sign_in
from fundflow.web.routes import auth, home, pages

STATIC_DIR = Path(__file__).parent / "static"

# Forms that must carry the token even from a browser holding no cookie yet: signing in
# (or a planted session would be possible) and the language switch.
ALWAYS_PROTECTED = {"/connexion", "/langue"}


def install_web(app: FastAPI, settings: Settings) -> None:
    for module in (auth, home, pages):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static/web", StaticFiles(directory=STATIC_DIR), name="web-static")
    install_page_errors(app)
    app.add_exception_handler(SignInRequired, redirect_to_sign_in)
    app.add_middleware(
        asgi_csrf,
        signing_secret=settings.derived_key("csrf"),
        always_protect=ALWAYS_PROTECTED,
        skip_if_scope=lambda scope: not is_page(scope["path"]),
        cookie_secure=True,
        cookie_samesite="Lax",
        send_csrf_failed=csrf_refused,
    )
