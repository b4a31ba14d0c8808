"""Errors on pages are pages: what the API answers as problem+json, a person reads as a
page in their language (the same status), and a page that needs a sign-in sends them to
it."""

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope, Send

from fundflow.core.errors import DomainError
from fundflow.web.csrf import CsrfRefused
from fundflow.web.deps import SignInRequired
from fundflow.web.i18n import LANGUAGE_COOKIE, choose_language
from fundflow.web.rendering import render

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Response | Awaitable[Response]]

# What the pages own; everything else (the API, metrics, documentation) keeps its answers.
NOT_PAGES = ("/api/", "/metrics", "/static/", "/docs", "/redoc", "/openapi.json")


def is_page(path: str) -> bool:
    return not path.startswith(NOT_PAGES)


def _language(request: Request) -> str:
    language = getattr(request.state, "language", None)
    if language is None:
        language = choose_language(
            None, request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        request.state.language = language
    return language


def error_page(request: Request, status: int) -> Response:
    _language(request)
    if not hasattr(request.state, "sign_in"):
        request.state.sign_in = None
    return render(request, "error.html", {"status": status}, status_code=status)


def _status_of(exc: Exception) -> int:
    if isinstance(exc, DomainError):
        return exc.status
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code
    if isinstance(exc, RequestValidationError):
        return HTTPStatus.BAD_REQUEST
    return HTTPStatus.INTERNAL_SERVER_ERROR


def _for_pages(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not is_page(request.url.path):
            answer = api_handler(request, exc)
            return await answer if isinstance(answer, Awaitable) else answer
        status = _status_of(exc)
        if status == HTTPStatus.INTERNAL_SERVER_ERROR:
            log.exception("unhandled error on page %s", request.url.path, exc_info=exc)
        return error_page(request, status)

    return handle


def install_page_errors(app: FastAPI) -> None:
    for kind in (DomainError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, _for_pages(app.exception_handlers[kind]))
    app.add_exception_handler(CsrfRefused, _csrf_refused_page)


def _csrf_refused_page(request: Request, _exc: Exception) -> Response:
    _language(request)
    request.state.sign_in = None
    return render(request, "csrf_refused.html", status_code=HTTPStatus.FORBIDDEN)


async def csrf_refused(scope: Scope, send: Send, _message_id: Any) -> None:
    """A form sent without its page's token (or from another site): nothing is done, and
    the person is asked to send it again from a fresh page."""
    request = Request(scope)
    _language(request)
    request.state.sign_in = None
    response = render(request, "csrf_refused.html", status_code=HTTPStatus.FORBIDDEN)
    await response(scope, _no_body, send)


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def redirect_to_sign_in(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(exc.location, status_code=HTTPStatus.SEE_OTHER)
