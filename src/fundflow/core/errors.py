"""One error hierarchy for the services, rendered as RFC 9457 problem details."""

from dataclasses import dataclass, field
from typing import Any

from fundflow.core.messages import N_, Message

# A message a client reads: plain English, or a catalogue text with its values, which
# the problem is written in when the client asks for French (core/problems.py).
Text = str | Message


@dataclass(frozen=True)
class Violation:
    """A rule that failed, with a message a volunteer can act on."""

    rule: str
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message}


@dataclass
class DomainError(Exception):
    detail: Text
    errors: list[dict[str, Any]] = field(default_factory=list)

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __post_init__(self) -> None:
        super().__init__(str(self.detail))


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


class OtpRequired(Unauthenticated):
    """The password was right; the account also asks for its second factor's code."""

    title = "Second factor required"
    slug = "otp-required"


class TwoFactorRequired(Forbidden):
    """The person's role requires a second factor, which they must set up first."""

    title = "Second factor to set up"
    slug = "two-factor-required"


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
    def of(cls, detail: Text, violations: list[Violation]) -> "RuleViolation":
        return cls(detail, [v.as_dict() for v in violations])


def not_found(kind: str, key: object) -> NotFound:
    """``kind``: the English name of what was looked for, also a catalogue text."""
    return NotFound(
        Message(
            N_("%(kind)s %(key)s does not exist or is not visible to you"),
            {"kind": (kind,), "key": key},
        )
    )


# What is looked for, named in the catalogues (the kinds ``not_found`` is given).
KINDS = (
    N_("Call"),
    N_("Commission member"),
    N_("Commission session"),
    N_("Condition"),
    N_("Decision on proposal"),
    N_("Document"),
    N_("Envelope"),
    N_("Exchange rate"),
    N_("Funder"),
    N_("Partner"),
    N_("Project"),
    N_("Proposal"),
    N_("Refund of project"),
    N_("Refund"),
    N_("Report"),
    N_("Review"),
    N_("User"),
    N_("Organisation"),
    N_("Commitment"),
    N_("Comment"),
    N_("Sign-in session"),
)
