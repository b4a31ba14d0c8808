"""One error hierarchy for the services, rendered as RFC 9457 problem details."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """A rule that failed, with a message a volunteer can act on."""

    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


@dataclass
class DomainError(Exception):
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __post_init__(self) -> None:
        super().__init__(self.detail)


class Unavailable(DomainError):
    status = 503
    title = "Service unavailable"
    slug = "unavailable"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthenticated(DomainError):
    status = 401
    title = "Not authenticated"
    slug = "unauthenticated"


@dataclass
class TooManyAttempts(DomainError):
    retry_after_seconds: int = 60

    status = 429
    title = "Too many attempts"
    slug = "too-many-attempts"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"
    slug = "invalid-input"


class RuleViolation(DomainError):
    status = 422
    title = "A rule forbids this"
    slug = "rule-violation"

    @classmethod
    def of(cls, detail: str, violations: list[Violation]) -> "RuleViolation":
        return cls(detail, [v.as_dict() for v in violations])


def not_found(kind: str, key: object) -> NotFound:
    return NotFound(f"{kind} {key} does not exist or is not visible to you")
