"""ASGI guards applied around every route: body size, content type, security headers."""

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fundflow.core.problems import PROBLEM_JSON, problem_body

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


async def _send_problem(send: Send, status: int, slug: str, title: str, detail: str) -> None:
    body = json.dumps(problem_body(status, detail, slug=slug, title=title)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# Documents, and the files of rates imported (in the API and on a page).
UPLOAD_SUFFIXES = ("/documents", "/import")


def is_upload(path: str) -> bool:
    return path.endswith(UPLOAD_SUFFIXES)


class BodyLimitMiddleware:
    """Refuse bodies over the limit with 413, whether announced or streamed: JSON bodies
    have one limit, uploads of documents another."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.json_limit = max_bytes
        self.upload_limit = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if is_upload(scope["path"]) else self.json_limit
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        received = 0
        exceeded = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The framework may turn our exception into its own error response: whatever
            # it answers once the limit is crossed is replaced by the 413.
            nonlocal refused
            if not exceeded:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send, limit)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not refused:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        await _send_problem(
            send,
            413,
            "payload-too-large",
            "Payload too large",
            f"The request body exceeds {limit} bytes.",
        )


class JsonContentTypeMiddleware:
    """Bodies sent to the API are JSON (415 otherwise), except the listed form endpoints."""

    def __init__(self, app: ASGIApp, *, prefix: str, form_paths: Iterable[str]) -> None:
        self.app = app
        self.prefix = prefix
        self.form_paths = frozenset(form_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in BODY_METHODS
            and scope["path"].startswith(self.prefix)
            and scope["path"] not in self.form_paths
            and not is_upload(scope["path"])
        ):
            headers = dict(scope["headers"])
            has_body = (
                headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
            )
            media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if has_body and not (media == b"application/json" or media.endswith(b"+json")):
                await _send_problem(
                    send,
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Send the request body as JSON (Content-Type: application/json).",
                )
                return
        await self.app(scope, receive, send)


# Pages load what we serve and nothing else. Only the API documentation (Swagger UI and
# Redoc) needs inline scripts and styles; the web interface has none.
CONTENT_SECURITY_POLICY = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_CONTENT_SECURITY_POLICY = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    b"script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'"
)
DOCS_PREFIXES = ("/docs", "/redoc", "/static/docs")
# A picture our own pages embed as a document (an SVG with links, in an <object>): it may
# be framed by our pages, and by no one else's.
EMBEDDED_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    b"frame-ancestors 'none'", b"frame-ancestors 'self'"
)


class SecurityHeadersMiddleware:
    """Headers every answer carries: no content sniffing, nothing fetched from elsewhere,
    and no copy in any cache of what needs a sign-in to see (personal data, money); public
    answers may be cached briefly."""

    def __init__(
        self, app: ASGIApp, *, public_prefixes: Iterable[str], embedded: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.public_prefixes = tuple(public_prefixes)
        self.embedded = frozenset(embedded)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        public = scope["path"].startswith(self.public_prefixes)
        cache = b"public, max-age=300" if public else b"no-store"
        if scope["path"].startswith(DOCS_PREFIXES):
            policy = DOCS_CONTENT_SECURITY_POLICY
        elif scope["path"] in self.embedded:
            policy = EMBEDDED_CONTENT_SECURITY_POLICY
        else:
            policy = CONTENT_SECURITY_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"x-content-type-options", b"cache-control")
                ]
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", cache),
                    (b"content-security-policy", policy),
                ]
                if not public:
                    headers.append((b"pragma", b"no-cache"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
