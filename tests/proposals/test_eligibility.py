"""Each eligibility rule of DOMAIN.md, failing alone, explained."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fundflow.core.dbtypes import utcnow
from fundflow.proposals.eligibility import add_months
from tests.builders import World, call_payload, proposal_payload


def future_call_id(client: TestClient, world: World) -> int:
    now = utcnow()
    headers = world.headers("secretariat")
    created = client.post(
        "/api/v1/calls",
        headers=headers,
        json=call_payload(
            opens_at=(now + timedelta(days=10)).isoformat(),
            closes_at=(now + timedelta(days=90)).isoformat(),
        ),
    )
    client.post(
        f"/api/v1/calls/{created.json()['id']}/transitions",
        headers=headers,
        json={"action": "open"},
    )
    return created.json()["id"]


def failed_rules(
    client: TestClient, world: World, payload: dict[str, Any], who: str = "applicant_a"
) -> dict[str, str]:
    created = client.post("/api/v1/proposals", json=payload, headers=world.headers(who))
    assert created.status_code == 201, created.text
    result = client.get(
        f"/api/v1/proposals/{created.json()['id']}/eligibility", headers=world.headers(who)
    ).json()
    failed = {c["rule"]: c["message"] for c in result["checks"] if not c["passed"]}
    assert result["eligible"] is (not failed)
    return failed


def financing(requested: str, own: str, other: str = "0") -> list[dict[str, Any]]:
    lines = [
        {"source": "requested", "amount": requested},
        {"source": "own_funds", "amount": own, "status": "confirmed"},
    ]
    if other != "0":
        lines.append(
            {"source": "other_public", "funder_name": "Ville de Lausanne", "amount": other}
        )
    return lines


def test_a_complete_proposal_passes_every_rule(client: TestClient, world: World):
    assert failed_rules(client, world, proposal_payload(world.call, world.partner_a)) == {}


@pytest.mark.parametrize(
    ("overrides", "rule", "phrase"),
    [
        ({"partner_id": None}, "partner_required", "partner"),
        ({"priorities": []}, "priorities", "priorities"),
        (
            {"summary": None, "logframe": {"goal": "x", "outcomes": []}},
            "complete",
            "summary, logframe.outcomes",
        ),
        (
            {"financing_lines": financing("4000.00", "10000.00", "66000.00")},
            "request_range",
            "below the minimum of 5000.00",
        ),
        (
            {
                "budget_lines": [
                    {"category": "investment", "description": "x", "amount": "200000"}
                ],
                "financing_lines": financing("90000.00", "30000.00", "80000.00"),
            },
            "request_range",
            "exceeds the maximum of 80000.00",
        ),
        (
            {"financing_lines": financing("40000.00", "10000.00", "29999.95")},
            "budget_balanced",
            "(79999.95) must equal the budget (80000.00)",
        ),
        (
            {"financing_lines": financing("45000.00", "10000.00", "25000.00")},
            "requested_share",
            "56.25 % of the budget; at most 50 %",
        ),
        (
            {"financing_lines": financing("40000.00", "7000.00", "33000.00")},
            "own_share",
            "8.75 % of the budget; at least 10 %",
        ),
        ({"start_date": "2027-05-01", "end_date": "2030-05-01"}, "duration", "36 months"),
        ({"other_funding_requests_declared": None}, "other_funding_declared", "Say whether"),
        ({"other_funding_requests_declared": False}, "other_funding_declared", "declare them"),
        ({"country": "SN"}, "partner_required", "partner is in MA, the project in SN"),
    ],
)
def test_each_rule_fails_alone_with_an_explanation(
    client: TestClient, world: World, overrides: dict, rule: str, phrase: str
):
    failed = failed_rules(client, world, proposal_payload(world.call, world.partner_a, **overrides))
    assert list(failed) == [rule], failed
    assert phrase in failed[rule]


def test_membership_is_required_for_cooperation_calls_only(client: TestClient, world: World):
    client.patch(
        f"/api/v1/organisations/{world.org_a.id}",
        headers=world.headers("secretariat"),
        json={"membership_status": "suspended"},
    )
    failed = failed_rules(client, world, proposal_payload(world.call, world.partner_a))
    assert list(failed) == ["membership"] and "`suspended`" in failed["membership"]
    integration = proposal_payload(
        world.integration_call,
        None,
        country="CH",
        locality="Lausanne",
        priorities=["language"],
        start_date="2027-03-01",
        end_date="2028-01-31",
    )
    assert failed_rules(client, world, integration) == {}


def test_integration_calls_take_place_in_switzerland(client: TestClient, world: World):
    payload = proposal_payload(
        world.integration_call,
        None,
        priorities=["language"],
        start_date="2027-03-01",
        end_date="2028-01-31",
    )
    failed = failed_rules(client, world, payload)
    assert list(failed) == ["country"] and "in the canton CH" in failed["country"]


def test_eligible_countries_of_a_call(client: TestClient, world: World):
    headers = world.headers("secretariat")
    call = client.post(
        "/api/v1/calls",
        headers=headers,
        json=call_payload(rules={"eligible_countries": ["SN", "ML", "BF"]}),
    ).json()
    client.post(f"/api/v1/calls/{call['id']}/transitions", headers=headers, json={"action": "open"})
    from fundflow.calls.models import Call

    failed = failed_rules(
        client, world, proposal_payload(world.session.get(Call, call["id"]), world.partner_a)
    )
    assert list(failed) == ["country"] and "SN, ML, BF" in failed["country"]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2027-01-31", 1, "2027-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2027-05-01", 36, "2030-05-01"),
        ("2027-11-15", 2, "2028-01-15"),
    ],
)
def test_add_months_clamps_to_the_month_end(start: str, months: int, end: str):
    from datetime import date

    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(end)


def test_explanations_follow_accept_language(client: TestClient, world: World):
    payload = proposal_payload(world.call, world.partner_a, summary=None, country="SN")
    created = client.post("/api/v1/proposals", json=payload, headers=world.headers("applicant_a"))
    url = f"/api/v1/proposals/{created.json()['id']}/eligibility"

    def failed(language: str | None) -> dict[str, str]:
        headers = world.headers("applicant_a")
        if language:
            headers["accept-language"] = language
        checks = client.get(url, headers=headers).json()["checks"]
        return {c["rule"]: c["message"] for c in checks if not c["passed"]}

    french = failed("fr-CH, fr;q=0.9, en;q=0.5")
    assert french["complete"] == "Il manque encore : le résumé."
    assert french["partner_required"].startswith("Le partenaire est en/au MA, le projet en/au SN")
    assert failed(None)["complete"] == "Still missing: summary."
    assert failed("de-CH")["complete"] == "Still missing: summary."
    assert failed("en")["complete"] == "Still missing: the summary."
