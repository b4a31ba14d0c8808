"""The ASGI application."""

import gc
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel

from fundflow import __version__
from fundflow.api.accounts import router as accounts_router
from fundflow.api.calls import router as calls_router
from fundflow.api.cofinancing import router as cofinancing_router
from fundflow.api.decisions import router as decisions_router
from fundflow.api.exchange_rates import router as exchange_rates_router
from fundflow.api.funders import router as funders_router
from fundflow.api.monitoring import router as monitoring_router
from fundflow.api.organisations import router as organisations_router
from fundflow.api.projects import router as projects_router
from fundflow.api.proposals import router as proposals_router
from fundflow.api.reviews import router as reviews_router
from fundflow.api.similarity import router as similarity_router
from fundflow.api.statistics import router as statistics_router
from fundflow.api.transparency import router as transparency_router
from fundflow.api.users import router as users_router
from fundflow.core.config import get_settings
from fundflow.core.database import ensure_migrated, get_engine, not_ready
from fundflow.core.deps import SessionDep
from fundflow.core.errors import NotFound, Unauthenticated, Unavailable
from fundflow.core.inputs import reject_nul_characters
from fundflow.core.logs import log_request
from fundflow.core.metrics import MetricsMiddleware, exposition
from fundflow.core.middleware import (
    BodyLimitMiddleware,
    JsonContentTypeMiddleware,
    SecurityHeadersMiddleware,
)
from fundflow.core.openapi_problems import document_problems
from fundflow.core.problems import install_problem_handlers
from fundflow.core.request_ids import RequestIdMiddleware
from fundflow.core.routing import api_router
from fundflow.web.app import EMBEDDED_PAGES, install_web

API_PREFIX = "/api/v1"


class Health(BaseModel):
    status: str


health_router = api_router()


@health_router.get("/health", response_model=Health, tags=["health"])
def health() -> Health:
    """Liveness probe; needs no authentication."""
    return Health(status="ok")


@health_router.get("/ready", response_model=Health, tags=["health"])
def ready(session: SessionDep) -> Health:
    """Readiness probe: the database answers and its schema is this version's (503
    otherwise, so a load balancer sends no traffic here); needs no authentication."""
    problem = not_ready(session)
    if problem is not None:
        raise Unavailable(problem)
    return Health(status="ready")


# Where scrapers look for it, outside the versioned API.
metrics_router = api_router()


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus exposition, for a scraper holding FUNDFLOW_METRICS_TOKEN: the figures say
    how busy the federation is, which is not for everyone to read."""
    token = get_settings().metrics_token
    if token is None:
        raise NotFound("There is no metrics endpoint on this service.")
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        presented.encode(), token.get_secret_value().encode()
    ):
        raise Unauthenticated("The metrics need the scraper's bearer token.")
    body, media_type = exposition()
    return Response(body, media_type=media_type)


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    ensure_migrated(get_engine())
    # Everything loaded so far lives as long as the process: moving it out of the
    # collector's reach keeps full collections short during allocation-heavy requests
    # (a call's ranking builds tens of thousands of objects).
    gc.collect()
    gc.freeze()
    yield


def _document_problems(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(*, check_migrations: bool = True) -> FastAPI:
    settings = get_settings()
    options: dict[str, Any] = {
        "title": "fundflow",
        "version": __version__,
        "summary": "Funding workflow for cooperation federations and integration offices.",
        "lifespan": _lifespan if check_migrations else None,
        "dependencies": [Depends(reject_nul_characters)],
    }
    # The documentation pages' scripts and styles are served by us (fastapi-offline ships
    # them): no CDN, so they work on a closed network too.
    app = (
        FastAPIOffline(static_url="/static/docs", **options)
        if settings.api_docs
        else FastAPI(docs_url=None, redoc_url=None, openapi_url=None, **options)
    )
    install_problem_handlers(app)
    _document_problems(app)
    for router in (
        health_router,
        accounts_router,
        users_router,
        organisations_router,
        funders_router,
        exchange_rates_router,
        calls_router,
        proposals_router,
        similarity_router,
        reviews_router,
        decisions_router,
        projects_router,
        cofinancing_router,
        monitoring_router,
        transparency_router,
        statistics_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(metrics_router)
    install_web(app, settings)
    app.add_middleware(
        JsonContentTypeMiddleware, prefix=API_PREFIX, form_paths=[f"{API_PREFIX}/auth/token"]
    )
    app.add_middleware(
        SecurityHeadersMiddleware,
        public_prefixes=["/static/", f"{API_PREFIX}/public/", f"{API_PREFIX}/health"],
        embedded=EMBEDDED_PAGES,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(MetricsMiddleware, observe=log_request)
    # Outermost of ours: even an answer the other middlewares make names its request.
    app.add_middleware(RequestIdMiddleware)
    return app


app = create_app()
