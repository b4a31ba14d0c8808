"""Render every error, ours and the framework's, as ``application/problem+json``."""

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from fundflow.core.errors import DomainError, TooManyAttempts
from fundflow.core.idempotency import IdempotentReplay, StillInFlight
from fundflow.core.request_ids import request_id_of

PROBLEM_JSON = "application/problem+json"
# Problem types are names, not pages: a URN never pretends to be a document to fetch.
PROBLEM_BASE = "urn:fundflow:problem:"
log = logging.getLogger("fundflow")

_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Not authenticated"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-input", "Invalid input"),
}


def problem_body(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The one shape of every error, whether a handler or a middleware answers it."""
    default_slug, default_title = _TITLES.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or default_slug),
        "title": title or default_title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(status, detail, slug=slug, title=title, errors=errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, TooManyAttempts | StillInFlight):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    return problem(
        exc.status, exc.detail, slug=exc.slug, title=exc.title, errors=exc.errors, headers=headers
    )


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if exc.errors() and all(err["loc"][:1] == ("path",) for err in exc.errors()):
        # An id that cannot exist (out of range, not a number) names nothing here.
        return problem(404, "Nothing is found at this address.")
    errors = [
        {
            "loc": [str(part) for part in _without_action(err["loc"], exc.body)],
            "message": err["msg"],
        }
        for err in exc.errors()
    ]
    return problem(422, "The request does not match the expected shape.", errors=errors)


def _without_action(loc: tuple[Any, ...], body: Any) -> tuple[Any, ...]:
    """A transition's body is parsed as its action's model, whose name pydantic puts in the
    location (`body.decide.outcome`); the client sent `outcome` at the top of the body."""
    action = body.get("action") if isinstance(body, dict) else None
    if len(loc) > 2 and loc[0] == "body" and action is not None and loc[1] == action:
        return (loc[0], *loc[2:])
    return loc


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        # The router names the methods of the first route matching the path; a path served
        # by several routes (GET and PATCH /proposals/{id}) allows all of theirs.
        allowed = _allowed_methods(request)
        headers = {**(headers or {}), "Allow": ", ".join(sorted(allowed))}
        detail = f"{request.method} is not allowed here; use {', '.join(sorted(allowed))}."
        return problem(405, detail, headers=headers)
    return problem(exc.status_code, str(exc.detail), headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> set[str]:
    return {
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.routes
        )
    }


def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """A statement the database refused. Its message may carry the row's values (a
    password's hash, an e-mail address: PostgreSQL's "Failing row contains (…)"), so the log
    gets where it happened and why, never the message; and being handled here, the error
    is not raised on to the server, which would log it whole."""
    assert isinstance(exc, DBAPIError)
    original = exc.orig
    diagnostics = getattr(original, "diag", None)
    log.error(
        "database error %s (SQLSTATE %s, constraint %s) on %s %s, request %s\n%s",
        type(original).__name__,
        getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None),
        getattr(diagnostics, "constraint_name", None),
        request.method,
        request.url.path,
        request_id_of(request.scope),
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return problem(500, "An unexpected error occurred; it has been logged.", slug="internal")


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = request_id_of(request.scope)
    log.exception("unhandled error, request %s", request_id, exc_info=exc)
    answer = problem(500, "An unexpected error occurred; it has been logged.", slug="internal")
    if request_id is not None:
        # Answered outside every middleware of ours: the id is added here.
        answer.headers["x-request-id"] = request_id
    return answer


def _replay(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IdempotentReplay)
    return JSONResponse(
        exc.response,
        status_code=exc.status_code,
        headers={"Idempotent-Replayed": "true"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _replay)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
