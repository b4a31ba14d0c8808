"""The README's walk-through, run as written: `make run` on a fresh database, then every shell
block from "A first walk through the API" to the authority reports, in order, in bash.

Only the password placeholder is filled in (the README asks for the one `make run`
printed). Every `curl` reports its status on stderr, so the walk-through cannot drift: an id
that is no longer the one the README names, a field renamed, a rule changed, and a call
answers 4xx where the README expects success.
"""

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import free_port, server_env
from tests.mail import Inbox

ROOT = Path(__file__).resolve().parents[2]
FIRST_SECTION = "## A first walk through the API"
END_SECTION = "## Sign-in, sessions and what each caller sees"
# Each curl reports its answer on stderr; the walk-through's own output stays on stdout.
CURL_STATUS = (
    "curl() { command curl -w '%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n' \"$@\"; }"
)


def walk_through(readme: str) -> str:
    """The shell blocks of the walk-through sections, in order."""
    section = readme[readme.index(FIRST_SECTION) : readme.index(END_SECTION)]
    return "\n".join(re.findall(r"```sh\n(.*?)```", section, flags=re.S))


@dataclass
class MadeRun:
    url: str
    port: int
    password: str
    env: dict[str, str]


@pytest.fixture
def make_run(
    database_factory: Callable[[], str], smtp: tuple[Inbox, int], tmp_path: Path
) -> Iterator[MadeRun]:
    """`make run` as the README says, on a database of its own."""
    port = free_port()
    env = server_env(
        database_factory(),
        PORT=str(port),
        FUNDFLOW_SMTP_HOST="127.0.0.1",
        FUNDFLOW_SMTP_PORT=str(smtp[1]),
    )
    log_path = tmp_path / "make-run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make and the server it starts stop together
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        printed = log_path.read_text()
        password = re.search(r"password\s+(\S+)\s+\(same for every demo user\)", printed)
        assert password is not None, printed
        assert f"http://127.0.0.1:{port}" in printed  # the sign-ins name the port served
        yield MadeRun(url, port, password.group(1), env)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-5000:]


def test_the_readme_walk_through_runs_as_written(
    make_run: MadeRun, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    script = walk_through((ROOT / "README.md").read_text())
    script, filled = re.subn(
        r"^PASSWORD=\.\.\..*$", f"PASSWORD='{make_run.password}'", script, count=1, flags=re.M
    )
    assert filled == 1, "the walk-through no longer starts with PASSWORD=..."
    # "from the project folder": its .venv, but the files the walk-through writes go elsewhere.
    work = tmp_path / "project"
    work.mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")
    done = subprocess.run(
        ["bash", "-c", f"set -e -o pipefail\n{CURL_STATUS}\n{script}"],
        cwd=work,
        env=make_run.env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    answers = re.findall(r"^HTTP (\d{3}) (\S+) (\S+)$", done.stderr, flags=re.M)
    assert len(answers) > 40, done.stderr
    failures = [(int(s), method, url) for s, method, url in answers if int(s) >= 400]
    # The one refusal the README announces: submitting before the fixes.
    assert failures == [(422, "POST", f"{make_run.url}/api/v1/proposals/11/transitions")], failures
    assert "Traceback" not in done.stderr

    secretariat = _client(make_run, "secretariat@fedevaco.example")
    assert secretariat.get("/api/v1/proposals/11").json()["status"] == "in_review"
    assert secretariat.get("/api/v1/reviews/6").json()["status"] == "submitted"
    assert secretariat.get("/api/v1/proposals/5").json()["status"] == "approved"
    assert secretariat.get("/api/v1/commitments/1").json()["status"] == "confirmed"
    project = secretariat.get("/api/v1/projects/1").json()
    assert project["status"] == "active"
    paid = secretariat.get("/api/v1/projects/1/disbursements").json()
    assert [d["reference"] for d in paid] == ["VIR-2026-1215"]
    assert secretariat.get("/api/v1/reports/1").json()["status"] == "approved"
    documents = secretariat.get("/api/v1/reports/1/documents").json()["items"]
    assert [d["filename"] for d in documents] == ["etat-financier.pdf"]
    similar = secretariat.get("/api/v1/proposals/10/similar").json()
    verdicts = [m["verdict"]["verdict"] for m in similar["matches"] if m["verdict"]]
    assert verdicts == ["same_project"], similar
    assert (work / "funding.xlsx").read_bytes().startswith(b"PK")
    assert b"<iati-activities" in (work / "iati-activities.xml").read_bytes()
    inbox, _port = smtp
    # The daily commands said what they did, and what remind said it sent arrived.
    assert "money invariants hold: no violation" in done.stdout
    assert "0 project(s) moved to final reporting" in done.stdout
    sent = re.search(r"^sent (\d+) reminder\(s\)$", done.stdout, flags=re.M)
    assert sent is not None, done.stdout
    assert int(sent.group(1)) == len(inbox.messages)


def _client(made: MadeRun, email: str) -> httpx.Client:
    token = httpx.post(
        f"{made.url}/api/v1/auth/token", data={"username": email, "password": made.password}
    ).json()["access_token"]
    return httpx.Client(base_url=made.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
