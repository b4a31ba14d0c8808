"""Routers whose JSON numbers are read exactly.

Python's JSON reader turns ``1e-400`` into ``0.0`` and ``0.1`` into a binary float before
any validation sees it; an amount must be judged on what the client wrote. Every router of
the API is made here, so that numbers arrive as ``Decimal`` (which every numeric field
accepts).
"""

import functools
import inspect
import json
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.util import greenlet_spawn
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

P = ParamSpec("P")
T = TypeVar("T")


class ExactJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                # Not text at all: invalid JSON (422), as any other malformed JSON.
                raise json.JSONDecodeError("not UTF-8", repr(body[:20]), exc.start) from None
            self._json = json.loads(text, parse_float=Decimal)
        return self._json


def _in_a_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A blocking endpoint as a coroutine running it in a worker thread. Called as is,
    FastAPI would take a second thread for checking the model it returns against the
    response model; awaited, that check (a no-op for an instance of the model) is made on
    the event loop, and a request costs one hop to the pool instead of two."""

    @functools.wraps(endpoint)
    async def in_thread(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return in_thread


_QUICK_READ = "__fundflow_quick_read__"
READ_METHODS = frozenset({"GET", "HEAD"})


def quick_read(endpoint: Callable[P, T]) -> Callable[P, T]:
    """Mark a blocking endpoint that reads one resource or one page of it by index, with a
    fixed number of short statements: it runs on the event loop, on its read-only session
    (``core.database.run_on`` says why that is safe and faster). Work that grows with the
    data (statistics, rankings, exports) stays in a worker thread."""
    setattr(endpoint, _QUICK_READ, True)
    return endpoint


def is_quick_read(scope: Scope) -> bool:
    """Whether the request's route is a ``quick_read`` (its session then reads on the loop)."""
    endpoint = getattr(scope.get("route"), "endpoint", None)
    return bool(getattr(endpoint, _QUICK_READ, False))


def _on_the_loop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)  # keeps the mark, for ``is_quick_read``
    async def inline(*args: Any, **kwargs: Any) -> Any:
        # In a greenlet: on PostgreSQL its statements wait for the server on the loop.
        return await greenlet_spawn(endpoint, *args, **kwargs)

    return inline


def _blocking(endpoint: Callable[..., Any]) -> bool:
    return inspect.isfunction(endpoint) and not (
        inspect.iscoroutinefunction(endpoint)
        or inspect.isgeneratorfunction(endpoint)
        or inspect.isasyncgenfunction(endpoint)
    )


class ExactJsonRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if getattr(endpoint, _QUICK_READ, False):
            assert set(kwargs.get("methods") or ()) <= READ_METHODS, f"{path} is not a read"
            endpoint = _on_the_loop(endpoint)
        elif _blocking(endpoint):
            endpoint = _in_a_worker_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def exact(request: Request) -> Response:
            return await handler(ExactJsonRequest(request.scope, request.receive))

        return exact


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=ExactJsonRoute, **kwargs)


UNMATCHED = "(unmatched)"


def route_of(scope: Scope) -> str:
    """The route's template (``/api/v1/proposals/{proposal_id}``), never the raw path: one
    series per route however many ids are read."""
    template = getattr(scope.get("route"), "path", None)
    if not template:
        return UNMATCHED
    # The route knows only its own part; the router's prefix (never a parameter in ours)
    # is the request path's leading segments.
    path = scope["path"]
    leading = path.count("/") - template.count("/")
    return "/".join(path.split("/")[: leading + 1]) + template
