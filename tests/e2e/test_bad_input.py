"""What a client can send that the contract refuses: a clear 4xx problem, nothing written,
never a 500 (defects 6-11, 13), against the running server."""

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.e2e.conftest import APPLICANT, SECRETARIAT, new_draft
from tests.e2e.server import LiveServer

BIG = [2**31, 2**63, 2**64 + 1]


@pytest.fixture
def applicant(live_server: LiveServer, token_of: Callable[[str], str]) -> Iterator[httpx.Client]:
    with live_server.client(token_of(APPLICANT)) as client:
        yield client


@pytest.fixture
def secretariat(live_server: LiveServer, token_of: Callable[[str], str]) -> Iterator[httpx.Client]:
    with live_server.client(token_of(SECRETARIAT)) as client:
        yield client


def _problem(answer: httpx.Response, status: int) -> dict[str, object]:
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    return answer.json()


def _own_draft(applicant: httpx.Client) -> dict:
    return new_draft(applicant)


def test_ids_out_of_range(applicant: httpx.Client, secretariat: httpx.Client) -> None:
    for number in BIG:
        for path in ("proposals", "projects", "organisations", "calls", "reviews", "documents"):
            _problem(applicant.get(f"/api/v1/{path}/{number}"), 404)
        _problem(applicant.get(f"/api/v1/proposals/{number}/transitions"), 404)
        _problem(applicant.get("/api/v1/proposals", params={"call_id": number}), 422)
        _problem(secretariat.get("/api/v1/stats/funding", params={"funder_id": number}), 422)
        _problem(applicant.post("/api/v1/proposals", json={"call_id": number, "title": "Eau"}), 422)
        _problem(
            secretariat.post(
                "/api/v1/projects/1/commitments", json={"envelope_id": number, "amount": "1"}
            ),
            422,
        )
        draft = _own_draft(applicant)
        _problem(applicant.patch(f"/api/v1/proposals/{draft['id']}", json={"version": number}), 422)
    _problem(applicant.get("/api/v1/proposals/0"), 404)
    _problem(applicant.get("/api/v1/proposals/-1"), 404)


def test_explicit_null_on_a_required_field(
    applicant: httpx.Client, secretariat: httpx.Client
) -> None:
    me = applicant.get("/api/v1/me").json()
    organisation = secretariat.get(f"/api/v1/organisations/{me['organisation_id']}").json()
    for field in ("name", "country", "diaspora_origins", "is_diaspora_led", "kind"):
        problem = _problem(
            secretariat.patch(f"/api/v1/organisations/{organisation['id']}", json={field: None}),
            422,
        )
        assert any(e["loc"][-1] == field for e in problem["errors"]), problem  # type: ignore[index, union-attr]
    partners = applicant.get("/api/v1/partners").json()["items"]
    own = next(p for p in partners if p.get("organisation_id") == me["organisation_id"])
    for field in ("name", "country", "kind"):
        _problem(applicant.patch(f"/api/v1/partners/{own['id']}", json={field: None}), 422)
    draft = _own_draft(applicant)
    for field in ("title", "budget_lines", "financing_lines", "priorities"):
        _problem(applicant.patch(f"/api/v1/proposals/{draft['id']}", json={field: None}), 422)
    # A field that may be empty can be cleared.
    cleared = secretariat.patch(
        f"/api/v1/organisations/{organisation['id']}", json={"website": None}
    )
    assert cleared.status_code == 200 and cleared.json()["website"] is None
    after = secretariat.get(f"/api/v1/organisations/{organisation['id']}").json()
    assert after["name"] == organisation["name"]


def test_nul_characters_are_refused_on_both_databases(applicant: httpx.Client) -> None:
    draft = _own_draft(applicant)
    _problem(applicant.patch(f"/api/v1/proposals/{draft['id']}", json={"title": "Eau\u0000"}), 422)
    _problem(applicant.post("/api/v1/partners", json={"name": "A\u0000B", "country": "MA"}), 422)
    _problem(applicant.get("/api/v1/partners", params={"country": "M\u0000"}), 422)
    unchanged = applicant.get(f"/api/v1/proposals/{draft['id']}").json()
    assert unchanged["title"] == draft["title"]
    # An escaped backslash followed by "u0000" is ordinary text.
    fine = applicant.patch(
        f"/api/v1/proposals/{draft['id']}", json={"summary": "chemin C:\\u0000\\dossier"}
    )
    assert fine.status_code == 200 and fine.json()["summary"] == "chemin C:\\u0000\\dossier"


def test_totals_over_the_cap_and_blank_text(applicant: httpx.Client) -> None:
    draft = _own_draft(applicant)
    huge = [{"source": "own_funds", "amount": "999999999999.99", "status": "confirmed"}] * 2
    problem = _problem(
        applicant.patch(f"/api/v1/proposals/{draft['id']}", json={"financing_lines": huge}), 422
    )
    assert "add up" in str(problem["errors"])
    lines = [{"category": "investment", "description": "x", "amount": "999999999999.99"}] * 2
    _problem(applicant.patch(f"/api/v1/proposals/{draft['id']}", json={"budget_lines": lines}), 422)
    _problem(applicant.patch(f"/api/v1/proposals/{draft['id']}", json={"title": "   "}), 422)
    _problem(applicant.post("/api/v1/partners", json={"name": "  \t ", "country": "MA"}), 422)
    assert applicant.get(f"/api/v1/proposals/{draft['id']}").json() == draft


@pytest.mark.parametrize(
    "amount",
    [
        '"-0.00"',
        '"5_000"',
        '"\u0665\u0660\u0660\u0660"',
        '" 5 "',
        '"1E+2"',
        "1e-400",
        "-0.0",
        '"12.345"',
    ],
)
def test_money_spellings_the_contract_forbids(applicant: httpx.Client, amount: str) -> None:
    draft = _own_draft(applicant)
    body = (
        '{"budget_lines": [{"category": "investment", "description": "Citerne", '
        f'"amount": {amount}}}]}}'
    )
    answer = applicant.patch(
        f"/api/v1/proposals/{draft['id']}",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    _problem(answer, 422)
    assert applicant.get(f"/api/v1/proposals/{draft['id']}").json() == draft


def test_money_read_exactly(applicant: httpx.Client) -> None:
    draft = _own_draft(applicant)
    body = (
        '{"budget_lines": [{"category": "investment", "description": "Citerne", "amount": 0.1}, '
        '{"category": "staff", "description": "Coordination", "amount": "1250.5"}]}'
    )
    answer = applicant.patch(
        f"/api/v1/proposals/{draft['id']}",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert [line["amount"] for line in answer.json()["budget_lines"]] == ["0.10", "1250.50"]
    assert answer.json()["total_budget"] == "1250.60"


@pytest.mark.parametrize(
    "name", ["تقرير.pdf", "报告.pdf", "rapport final; v2 (100%).pdf", "Ωmega.pdf"]
)
def test_documents_of_any_name_download(applicant: httpx.Client, name: str) -> None:
    draft = _own_draft(applicant)
    sent = applicant.post(
        f"/api/v1/proposals/{draft['id']}/documents",
        files={"file": (name, b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    assert sent.status_code == 201, sent.text
    got = applicant.get(f"/api/v1/documents/{sent.json()['id']}/content")
    assert got.status_code == 200
    assert got.content == b"%PDF-1.4\n%%EOF\n"
    disposition = got.headers["content-disposition"]
    assert disposition.isascii()
    from urllib.parse import quote

    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition


def test_headers_that_protect_every_answer(
    live_server: LiveServer, applicant: httpx.Client
) -> None:
    me = applicant.get("/api/v1/me")
    assert me.headers["x-content-type-options"] == "nosniff"
    assert me.headers["cache-control"] == "no-store"
    assert "server" not in me.headers
    public = httpx.get(f"{live_server.url}/api/v1/public/projects")
    assert public.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in public.headers["cache-control"]
    refused = applicant.delete("/api/v1/proposals/1")
    _problem(refused, 405)
    assert set(refused.headers["allow"].split(", ")) >= {"GET", "PATCH"}
