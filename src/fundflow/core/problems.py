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

from fundflow.core.catalogues import Reader, translator
from fundflow.core.errors import DomainError, TooManyAttempts
from fundflow.core.idempotency import IdempotentReplay, StillInFlight
from fundflow.core.messages import N_, Message, Translate, worded
from fundflow.core.request_ids import request_id_of

PROBLEM_JSON = "application/problem+json"
# Problem types are names, not pages: a URN never pretends to be a document to fetch.
PROBLEM_BASE = "urn:fundflow:problem:"
log = logging.getLogger("fundflow")

_TITLES = {
    400: ("bad-request", N_("Bad request")),
    401: ("unauthenticated", N_("Not authenticated")),
    403: ("forbidden", N_("Forbidden")),
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    409: ("conflict", N_("Conflict")),
    413: ("payload-too-large", N_("Payload too large")),
    415: ("unsupported-media-type", N_("Unsupported media type")),
    422: ("invalid-input", N_("Invalid input")),
}
# The titles of the domain's own problems (core/errors.py), for the catalogues.
DOMAIN_TITLES = (
    N_("A rule forbids this"),
    N_("Too many attempts"),
    N_("Service unavailable"),
    N_("Error"),
)
# What pydantic finds wrong, as a French-speaking client reads it (its English stays as
# pydantic writes it, with the details it gives).
VALIDATION_MESSAGES = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("This field is not accepted here."),
    "string_too_short": N_("This text is too short."),
    "string_too_long": N_("This text is too long."),
    "decimal_parsing": N_("Give an amount in figures, such as 1200.50."),
    "decimal_type": N_("Give an amount in figures, such as 1200.50."),
    "int_parsing": N_("Give a whole number."),
    "date_from_datetime_parsing": N_("Give a date, such as 2027-03-01."),
    "date_parsing": N_("Give a date, such as 2027-03-01."),
    "datetime_parsing": N_("Give a date and time, such as 2027-03-01T09:00:00Z."),
    "enum": N_("Give one of the accepted values."),
    "literal_error": N_("Give one of the accepted values."),
    "bool_parsing": N_("Give true or false."),
    "greater_than_equal": N_("This number is too small."),
    "less_than_equal": N_("This number is too large."),
    "too_long": N_("This list has too many items."),
}


def _reader(request: Request) -> Reader:
    return translator(request.headers.get("accept-language"))


def _worded(text: Any, translate: Translate) -> Any:
    """A message in the client's language: a catalogue text, with its values, if it is one."""
    return worded(text, translate) if isinstance(text, Message) or text else text


def _worded_errors(
    errors: list[dict[str, Any]] | None, translate: Translate
) -> list[dict[str, Any]] | None:
    if not errors:
        return errors
    return [
        {key: _worded(value, translate) if key == "message" else value for key, value in e.items()}
        for e in errors
    ]


def problem_body(
    status: int,
    detail: str | Message,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    translate: Translate = str,
) -> dict[str, Any]:
    """The one shape of every error, whether a handler or a middleware answers it, in the
    client's language (``translate``: its catalogue's; English as written by default)."""
    default_slug, default_title = _TITLES.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or default_slug),
        "title": _worded(title or default_title, translate),
        "status": status,
        "detail": _worded(detail, translate),
    }
    if errors:
        body["errors"] = _worded_errors(errors, translate)
    return body


def problem(
    status: int,
    detail: str | Message,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    reader: Reader | None = None,
) -> JSONResponse:
    translate: Translate = reader or str
    body = problem_body(status, detail, slug=slug, title=title, errors=errors, translate=translate)
    if reader is not None and reader.language:
        headers = {**(headers or {}), "Content-Language": reader.language}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if isinstance(exc, TooManyAttempts | StillInFlight):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    return problem(
        exc.status,
        exc.detail,
        slug=exc.slug,
        title=exc.title,
        errors=exc.errors,
        headers=headers,
        reader=_reader(request),
    )


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    reader = _reader(request)
    if exc.errors() and all(err["loc"][:1] == ("path",) for err in exc.errors()):
        # An id that cannot exist (out of range, not a number) names nothing here.
        return problem(404, N_("Nothing is found at this address."), reader=reader)
    errors = [
        {
            "loc": [str(part) for part in _without_action(err["loc"], exc.body)],
            "message": err["msg"]
            if not reader.language or err["type"] not in VALIDATION_MESSAGES
            else VALIDATION_MESSAGES[err["type"]],
        }
        for err in exc.errors()
    ]
    detail = N_("The request does not match the expected shape.")
    return problem(422, detail, errors=errors, reader=reader)


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
        return problem(405, detail, headers=headers, reader=_reader(request))
    return problem(exc.status_code, str(exc.detail), headers=headers, reader=_reader(request))


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
