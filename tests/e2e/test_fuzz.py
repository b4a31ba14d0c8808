"""schemathesis, the field's OpenAPI fuzzer, against the running server: thousands of
generated requests (valid and not) as the secretariat and as an applicant, not one server
error, and every status code and media type as the OpenAPI document says. It runs on a
server of its own: what it writes must not disturb the other end-to-end tests."""

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import APPLICANT, SECRETARIAT, demo_server
from tests.e2e.server import LiveServer

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Cases per operation and phase; with ~100 operations, several thousand requests a run,
# about a minute each. (No --max-time: with it the tool fuzzes until the time is spent.)
EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzzed_server(
    database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with demo_server(database_factory, tmp_path_factory.mktemp("fuzz")) as server:
        yield server


def schemathesis(server: LiveServer, token: str, report: Path) -> list[str]:
    return [
        str(SCHEMATHESIS),
        "run",
        f"{server.url}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        # No server error; and every answer's status and media type as documented.
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance",
        # Signing out would end the token the rest of the run needs.
        "--exclude-path",
        "/api/v1/auth/logout",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "20261130",
        # One worker: the tool's parallel workers trip over Python 3.11's ast module.
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]


def test_generated_requests_never_meet_a_server_error(
    fuzzed_server: LiveServer, tmp_path: Path
) -> None:
    """As the secretariat and as an applicant at once: the two runs share the two cores."""
    runs = {}
    for who in (SECRETARIAT, APPLICANT):
        report = tmp_path / f"{who}.json"
        command = schemathesis(fuzzed_server, fuzzed_server.token(who), report)
        output = (tmp_path / f"{who}.log").open("w")
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)
        runs[who] = (process, report, tmp_path / f"{who}.log")
    for who, (process, report, log) in runs.items():
        process.wait(timeout=400)
        summary = json.loads(report.read_text())
        generated = summary["test_cases"]["generated"]
        print(f"schemathesis as {who}: {generated} requests")
        assert not summary["failures"] and not summary["errors"], log.read_text()[-5000:]
        assert generated >= 1000, log.read_text()[-3000:]
    server_errors = [line for line in fuzzed_server.log().splitlines() if '" 500 ' in line]
    assert server_errors == []
