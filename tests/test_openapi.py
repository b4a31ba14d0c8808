import json
from pathlib import Path

from fundflow.openapi import openapi_document

SPEC = Path(__file__).resolve().parents[1] / "api_spec" / "openapi.json"


def test_committed_spec_matches_the_code():
    assert SPEC.exists(), "run `make spec` to write api_spec/openapi.json"
    assert SPEC.read_text() == openapi_document(), "api_spec/openapi.json drifted: run `make spec`"


def test_spec_describes_the_contract_paths():
    paths = json.loads(SPEC.read_text())["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/organisations",
        "/api/v1/partners",
        "/api/v1/funders",
        "/api/v1/funders/{funder_id}/envelopes",
        "/api/v1/calls",
        "/api/v1/calls/{call_id}/transitions",
        "/api/v1/proposals",
        "/api/v1/proposals/{proposal_id}",
        "/api/v1/proposals/{proposal_id}/eligibility",
        "/api/v1/proposals/{proposal_id}/transitions",
        "/api/v1/proposals/{proposal_id}/events",
        "/api/v1/health",
    ):
        assert path in paths, path


def test_every_operation_documents_its_problems():
    """Each operation names its error answers as problem+json with the one Problem schema
    (issue 12): what a client must handle is in the contract."""
    from fundflow.main import create_app

    document = create_app(check_migrations=False).openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            problems = {
                status
                for status, answer in operation["responses"].items()
                if "application/problem+json" in answer.get("content", {})
            }
            assert "422" in problems, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= problems, (method, path)
            if "{" in path:
                assert "404" in problems, (method, path)
            for answer in operation["responses"].values():
                assert "application/json" not in answer.get("content", {}) or not any(
                    "HTTPValidationError" in str(v) for v in answer["content"].values()
                )
    assert "HTTPValidationError" not in document["components"]["schemas"]
