"""Every operation's error answers in the OpenAPI document, as problem+json.

The routes name their successes; the errors follow from what an operation is (signed-in
or public, with ids in its path, with a body, creating or changing state), so they are
added here once, from the same rules the middleware and handlers follow, with one
`Problem` schema.
"""

from typing import Any

from fundflow.core.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["urn:fundflow:problem:not-found"]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule": {"type": "string"},
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
REASONS = {
    400: "The body could not be read (malformed JSON, form or multipart)",
    401: "Not signed in, or the token's session has ended",
    403: "The caller's role or organisation may not do this",
    404: "Unknown, or not visible to the caller (in the path, or named in the query or body)",
    409: "The resource is in another state or has moved on (stale version), or a retry "
    "with the same Idempotency-Key is still running",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid input, or a rule forbids it",
    429: "Too many failed sign-ins",
    503: "Not ready: the database cannot be reached or its schema is not this version's",
}
BODY_METHODS = {"post", "put", "patch"}
FORM_OR_UPLOAD = ("/auth/token", "/documents")


def _statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    statuses = {422}
    if operation.get("security"):
        statuses |= {401, 403}
    # An id, or a link's secret (a nominee's), names something that may not exist.
    names_an_id = any(
        parameter.get("name", "").endswith("_id") or parameter.get("name") == "token"
        for parameter in operation.get("parameters", [])
    )
    if "{" in path or names_an_id:
        statuses.add(404)
    if method == "delete":
        # Deleting what has moved on (a review already started) is refused.
        statuses.add(409)
    if method in BODY_METHODS:
        # A body may name another resource (a call, a partner) the caller cannot see.
        statuses |= {400, 404, 409, 413}
        if not path.endswith(FORM_OR_UPLOAD):
            statuses.add(415)
    if path.endswith("/auth/token"):
        statuses |= {401, 429}
    if path.endswith("/ready"):
        statuses.add(503)
    return statuses


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(path, method, operation)):
                responses[str(status)] = {"description": REASONS[status], "content": problem}
    return schema
