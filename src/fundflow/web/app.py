"""The web interface, mounted on the API's application: its pages, its assets, CSRF
protection for its forms, and its errors as pages."""

from pathlib import Path

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from fundflow.core.config import Settings
from fundflow.core.middleware import is_upload
from fundflow.web.deps import SignInRequired
from fundflow.web.errors import csrf_refused, install_page_errors, is_page, redirect_to_sign_in
from fundflow.web.routes import (
    account,
    actions,
    attachments,
    auth,
    awards,
    case_files,
    coaching,
    cofinancing,
    commission,
    dashboard,
    directory,
    exchange_rates,
    home,
    members,
    monitoring,
    pages,
    passwords,
    projects,
    proposals,
    register,
    reviews,
    submission,
    two_factor,
    unknown,
)

STATIC_DIR = Path(__file__).parent / "static"
# What our pages embed as documents (the directory's map, whose countries are links).
EMBEDDED_PAGES = ("/annuaire/carte.svg",)

# Forms that must carry the token even from a browser holding no cookie yet: signing in
# (or a planted session would be possible) and the language switch.
ALWAYS_PROTECTED = {
    "/connexion",
    "/connexion/code",
    "/langue",
    "/mot-de-passe/oubli",
    "/mot-de-passe/nouveau",
    "/distinctions/nomination",
}


def install_web(app: FastAPI, settings: Settings) -> None:
    # Fixed paths under /propositions/{id}/ before the sections' {slug}.
    routes = (
        auth,
        two_factor,
        account,
        home,
        pages,
        passwords,
        members,
        reviews,
        case_files,
        commission,
        cofinancing,
        submission,
        attachments,
        coaching,
        proposals,
        projects,
        actions,
        monitoring,
        register,
        dashboard,
        directory,
        exchange_rates,
        awards,
    )
    for module in routes:
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static/web", StaticFiles(directory=STATIC_DIR), name="web-static")
    # Last: whatever page address nothing above answers.
    app.include_router(unknown.router, include_in_schema=False)
    install_page_errors(app)
    app.add_exception_handler(SignInRequired, redirect_to_sign_in)
    app.add_middleware(CsrfForPages, signing_secret=settings.derived_key("csrf"))


_OUTER_SCOPE = "fundflow.outer_scope"


def _is_multipart(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"multipart/form-data"
    return False


class CsrfForPages:
    """asgi-csrf around the pages only. It hands the application a copy of the request's
    scope: what the router notes there (the route, for the metrics and the access log) is
    copied back to the scope the outer middlewares see."""

    def __init__(self, app: ASGIApp, signing_secret: str) -> None:
        self.app = app
        self.protected = asgi_csrf(
            self._inside,
            signing_secret=signing_secret,
            always_protect=ALWAYS_PROTECTED,
            cookie_secure=True,
            cookie_samesite="Lax",
            send_csrf_failed=csrf_refused,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and _is_multipart(scope):
            # asgi-csrf cannot read uploads with today's python-multipart (simonw/asgi-csrf
            # #38): an upload page checks its form's token itself (``csrf.require_token``),
            # with asgi-csrf's cookie; any other multipart form is refused.
            if is_upload(scope["path"]):
                await self.app(scope, receive, send)
            else:
                await csrf_refused(scope, send, None)
            return
        scope[_OUTER_SCOPE] = scope
        await self.protected(scope, receive, send)

    async def _inside(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            outer = scope.pop(_OUTER_SCOPE)
            if "route" in scope:
                outer["route"] = scope["route"]
