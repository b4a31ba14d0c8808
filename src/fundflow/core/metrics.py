"""Prometheus metrics: how long each route takes, and what the federation did.

What the federation did is read off the audit trail: every ``Event`` a committed
transaction wrote counts once in ``fundflow_events_total{entity, action}``, and the
figures operators watch most have a name of their own. Counting at commit (not when the
event is written) keeps refused and rolled-back work out of the figures.

With several worker processes, each writes its figures to ``PROMETHEUS_MULTIPROC_DIR`` and
a scrape of any of them adds them all up (``fundflow serve --workers N`` sets it up).
"""

import os
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as PROCESS_REGISTRY
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fundflow.core.audit import Event
from fundflow.core.routing import route_of

REQUEST_SECONDS = Histogram(
    "fundflow_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template.",
    ["method", "route"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REQUESTS = Counter(
    "fundflow_http_requests",
    "Requests answered, by route template and status.",
    ["method", "route", "status"],
)
EVENTS = Counter(
    "fundflow_events", "Audit events committed, by entity and action.", ["entity", "action"]
)
# The business figures an operator's dashboard starts from: (entity, action) of their event.
BUSINESS = {
    ("proposal", "submit"): Counter("fundflow_proposals_submitted", "Proposals submitted."),
    ("review", "submit"): Counter("fundflow_reviews_submitted", "Reviews submitted."),
    ("commitment", "confirm"): Counter(
        "fundflow_commitments_confirmed", "Co-financing commitments confirmed by their funder."
    ),
    ("project", "disburse"): Counter("fundflow_disbursements", "Disbursements recorded."),
}
_PENDING = "fundflow.metrics.events"


def exposition() -> tuple[bytes, str]:
    """The text a Prometheus scrape reads: this process's figures, or the whole fleet's
    on this host when the workers share a directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(PROCESS_REGISTRY), CONTENT_TYPE_LATEST


@event.listens_for(Session, "before_flush")
def _note_events(session: Session, _context: Any, _instances: Any) -> None:
    written = [(e.entity_type, e.action) for e in session.new if isinstance(e, Event)]
    if written:
        session.info.setdefault(_PENDING, []).extend(written)


@event.listens_for(Session, "after_commit")
def _count_events(session: Session) -> None:
    for entity, action in session.info.pop(_PENDING, ()):
        EVENTS.labels(entity, action).inc()
        if (named := BUSINESS.get((entity, action))) is not None:
            named.inc()


@event.listens_for(Session, "after_rollback")
def _forget_events(session: Session) -> None:
    session.info.pop(_PENDING, None)


class MetricsMiddleware:
    """Times every HTTP request and counts its answer by route and status; ``observe`` is
    also told, so the access log line is written from the same figures."""

    def __init__(
        self, app: ASGIApp, observe: Callable[[Scope, str, int, float], None] | None = None
    ) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            elapsed = time.perf_counter() - started
            method, route = scope["method"], route_of(scope)
            REQUEST_SECONDS.labels(method, route).observe(elapsed)
            REQUESTS.labels(method, route, str(status)).inc()
            if self.observe is not None:
                self.observe(scope, route, status, elapsed)
