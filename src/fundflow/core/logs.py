"""Log lines: plain text on a developer's terminal, one JSON object per line in production
(what log collectors read without parsing rules). Each line written while a request is
answered carries that request's id, the one its answer names in ``X-Request-ID``."""

import logging
from contextvars import ContextVar
from typing import Any, Literal

from starlette.types import Scope

# Set by RequestIdMiddleware; copied into the worker threads that run our endpoints.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

access_log = logging.getLogger("fundflow.access")

LogFormat = Literal["text", "json"]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


def log_request(scope: Scope, route: str, status: int, elapsed: float) -> None:
    """The access log line, with the route's template beside the path for grouping."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "%s %s %s %.1f ms",
        scope["method"],
        scope["path"],
        status,
        elapsed * 1000,
        extra={
            "method": scope["method"],
            "path": scope["path"],
            "route": route,
            "status": status,
            "duration_ms": round(elapsed * 1000, 2),
            "client": (scope.get("client") or (None,))[0],
        },
    )


def logging_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server: ours and uvicorn's loggers alike."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        }
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "default",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {
            name: {"handlers": ["default"], "level": level, "propagate": False}
            for name in ("fundflow", "uvicorn", "uvicorn.error")
        },
    }
