"""An id for every request, in the answer's ``X-Request-ID`` and in the error logs."""

import itertools
import re
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fundflow.core.logs import current_request_id

REQUEST_ID = b"x-request-id"
_REQUEST_ID_SHAPE = re.compile(rb"[A-Za-z0-9._-]{1,64}")


# 16 random hex digits per process, then a counter: unique across a fleet's processes, and
# without uuid4's call to the system's random source on every request.
_PROCESS = secrets.token_hex(8).encode()
_SEQUENCE = itertools.count(1)


def new_request_id() -> bytes:
    return b"%s%016x" % (_PROCESS, next(_SEQUENCE))


def request_id_of(scope: Scope) -> str | None:
    """The id the request was answered under (see ``RequestIdMiddleware``)."""
    state = scope.get("state") or {}
    return state.get("request_id")


class RequestIdMiddleware:
    """Every answer names its request in ``X-Request-ID``: the one a proxy or client sent, if
    it looks like an id, or a new one. Error logs carry it, so a user's report ("it said
    request 5f3c…") leads to the log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers", [])).get(REQUEST_ID, b"")
        request_id = sent if _REQUEST_ID_SHAPE.fullmatch(sent) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id.decode()
        current_request_id.set(request_id.decode())

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != REQUEST_ID]
                message["headers"] = [*headers, (REQUEST_ID, request_id)]
            await send(message)

        await self.app(scope, receive, with_id)
