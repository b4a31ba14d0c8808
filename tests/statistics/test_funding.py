"""Funding statistics against totals computed by hand."""

import pytest
from fastapi.testclient import TestClient

from fundflow.proposals.models import ProposalStatus
from tests.builders import World


@pytest.fixture
def funded(world: World) -> World:
    """A: association A, Morocco, approved 35,000 (20,000 confirmed); B: association B,
    Senegal, rejected; C: association A, Morocco, submitted. Each requested 40,000."""
    project = world.project()
    world.commit(project, world.envelope, "20000.00")
    rejected = world.reviewed(owner="b")
    from fundflow.accounts.service import actor_of
    from fundflow.core.roles import Role
    from fundflow.core.transitions import perform_transition
    from fundflow.lifecycle.proposal import PROPOSAL_MACHINE

    perform_transition(
        world.session,
        machine=PROPOSAL_MACHINE,
        entity=rejected,
        actor=actor_of(world.secretariat),
        acting_roles={Role.SECRETARIAT},
        action="decide",
        payload={"outcome": "rejected", "rationale": "Non."},
    )
    world.proposal(status=ProposalStatus.SUBMITTED)
    world.proposal(status=ProposalStatus.DRAFT)  # never counted
    world.session.commit()
    return world


def stats(client: TestClient, world: World, query: str = "") -> dict:
    response = client.get(f"/api/v1/stats/funding{query}", headers=world.headers("secretariat"))
    assert response.status_code == 200, response.text
    return response.json()


def test_totals(client: TestClient, funded: World):
    assert stats(client, funded)["totals"] == {
        "requested": "120000.00",
        "granted": "35000.00",
        "committed": "20000.00",
        "disbursed": "0.00",
        "proposals": 3,
        "approved": 1,
        "success_rate": "0.3333",
    }


def test_by_country(client: TestClient, funded: World):
    rows = stats(client, funded, "?group_by=country")["rows"]
    assert [
        (
            r["country"],
            r["proposals"],
            r["approved"],
            r["requested"],
            r["granted"],
            r["committed"],
            r["success_rate"],
        )
        for r in rows
    ] == [
        ("MA", 2, 1, "80000.00", "35000.00", "20000.00", "0.5000"),
        ("SN", 1, 0, "40000.00", "0.00", "0.00", "0.0000"),
    ]


def test_by_organisation_and_diaspora_and_call_and_year(client: TestClient, funded: World):
    by_org = stats(client, funded, "?group_by=organisation")["rows"]
    assert [(r["organisation"], r["proposals"], r["granted"]) for r in by_org] == [
        ("Association Tafraout Solidarité", 2, "35000.00"),
        ("Teranga Vaud", 1, "0.00"),
    ]
    diaspora = stats(client, funded, "?group_by=diaspora_led")["rows"]
    assert [(r["diaspora_led"], r["proposals"]) for r in diaspora] == [(True, 3)]
    by_call = stats(client, funded, "?group_by=call")["rows"]
    assert [(r["call_id"], r["proposals"], r["requested"]) for r in by_call] == [
        (funded.call.id, 3, "120000.00")
    ]
    by_year = stats(client, funded, f"?group_by=year&year={funded.call.year}")["rows"]
    assert [(r["year"], r["approved"]) for r in by_year] == [(funded.call.year, 1)]
    assert stats(client, funded, f"?year={funded.call.year + 1}")["totals"]["proposals"] == 0


def test_two_dimensions(client: TestClient, funded: World):
    rows = stats(client, funded, "?group_by=country,organisation")["rows"]
    assert [(r["country"], r["organisation"], r["proposals"]) for r in rows] == [
        ("MA", "Association Tafraout Solidarité", 2),
        ("SN", "Teranga Vaud", 1),
    ]


def test_bad_grouping_is_422(client: TestClient, funded: World):
    for query in (
        "?group_by=planet",
        "?group_by=country,call,year",
        "?group_by=country&group_by=country",
    ):
        response = client.get(
            f"/api/v1/stats/funding{query}", headers=funded.headers("secretariat")
        )
        assert response.status_code == 422, query


def test_by_priority_rows_overlap_but_totals_do_not(client: TestClient, funded: World):
    # The three proposals address "water"; add one addressing water and education.
    both = funded.proposal(status=ProposalStatus.SUBMITTED, priorities=["water", "education"])
    result = stats(client, funded, "?group_by=priority")
    assert [(r["priority"], r["proposals"], r["requested"]) for r in result["rows"]] == [
        ("education", 1, "40000.00"),
        ("water", 4, "160000.00"),
    ]
    assert result["totals"]["proposals"] == 4 and result["totals"]["requested"] == "160000.00"
    assert both.id


def test_by_funder_counts_each_funder_share(client: TestClient, funded: World):
    # Project A: 20,000 from the world's funder; add 15,000 from Lausanne to project A.
    from sqlmodel import select

    from fundflow.projects.models import Project

    project = funded.session.exec(select(Project)).one()
    lausanne = funded.envelope_of("Ville de Lausanne")
    funded.commit(project, lausanne, "15000.00")
    rows = stats(client, funded, "?group_by=funder")["rows"]
    assert [(r["funder"], r["proposals"], r["granted"], r["committed"]) for r in rows] == [
        ("Direction du développement et de la coopération", 1, "35000.00", "20000.00"),
        ("Ville de Lausanne", 1, "35000.00", "15000.00"),
    ]
    only = stats(client, funded, f"?funder_id={lausanne.funder_id}")["totals"]
    assert (only["proposals"], only["committed"]) == (1, "15000.00")
    assert stats(client, funded)["totals"]["committed"] == "35000.00"


def test_csv_and_xlsx_say_what_the_json_says(client: TestClient, funded: World):
    import csv
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    headers = funded.headers("secretariat")
    data = stats(client, funded, "?group_by=country")
    as_csv = client.get("/api/v1/stats/funding?group_by=country&format=csv", headers=headers)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert [
        (r["country"], r["requested (CHF)"], r["proposals"], r["success_rate"]) for r in rows
    ] == [
        *[
            (r["country"], r["requested"], str(r["proposals"]), r["success_rate"])
            for r in data["rows"]
        ],
        (
            "total",
            data["totals"]["requested"],
            str(data["totals"]["proposals"]),
            data["totals"]["success_rate"],
        ),
    ]
    no_bom = client.get("/api/v1/stats/funding?format=csv&bom=false", headers=headers)
    assert not no_bom.text.startswith("\ufeff")

    as_xlsx = client.get("/api/v1/stats/funding?group_by=country&format=xlsx", headers=headers)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("country", "requested (CHF)", "granted (CHF)")
    assert sheet.freeze_panes == "A2"
    assert [(row[0], Decimal(str(row[1])), row[5]) for row in values[1:]] == [
        *[(r["country"], Decimal(r["requested"]), r["proposals"]) for r in data["rows"]],
        ("total", Decimal(data["totals"]["requested"]), data["totals"]["proposals"]),
    ]
    assert isinstance(values[1][1], (int, float, Decimal))  # a number, not text


def test_authorities_see_all_totals_but_only_their_associations(client: TestClient, funded: World):
    # The world's funder co-finances association A's project only.
    authority = client.get(
        "/api/v1/stats/funding?group_by=organisation", headers=funded.headers("authority")
    ).json()
    secretariat = stats(client, funded, "?group_by=organisation")
    assert [r["organisation"] for r in authority["rows"]] == ["Association Tafraout Solidarité"]
    assert len(secretariat["rows"]) == 2
    assert authority["totals"] == secretariat["totals"]
    by_country = client.get(
        "/api/v1/stats/funding?group_by=country", headers=funded.headers("authority")
    ).json()
    assert len(by_country["rows"]) == 2  # not project-level: shown in full


def test_calls_in_several_currencies_are_reported_in_one_with_the_rates_listed(
    client: TestClient, funded: World
):
    """The funded world's call in EUR, beside a CHF call with one submitted proposal (CHF
    40,000 requested); EUR 1 = CHF 0.9351 from five days ago."""
    import csv
    import io
    from datetime import timedelta
    from decimal import Decimal

    from openpyxl import load_workbook

    from fundflow.accounts.service import actor_of
    from tests.builders import exchange_rate, make_call

    session = funded.session
    funded.call.currency = "EUR"
    session.add(funded.call)
    euro_call = funded.call
    funded.call = make_call(session, actor_of(funded.secretariat), title="Appel 2027 en francs")
    funded.proposal(status=ProposalStatus.SUBMITTED)
    funded.call = euro_call
    rate_day = exchange_rate(session, "EUR", "CHF", "0.9351").valid_from

    in_francs = stats(client, funded)
    assert in_francs["currency"] == "CHF"
    assert [(r["base"], r["quote"], r["rate"]) for r in in_francs["rates"]] == [
        ("EUR", "CHF", "0.9351")
    ]
    totals = in_francs["totals"]
    # EUR 120,000 at 0.9351 and CHF 40,000; EUR 35,000 granted, EUR 20,000 committed.
    assert (totals["requested"], totals["granted"], totals["committed"]) == (
        "152212.00",
        "32728.50",
        "18702.00",
    )
    assert totals["proposals"] == 4
    by_call = {r["call_id"]: r for r in stats(client, funded, "?group_by=call")["rows"]}
    assert by_call[euro_call.id]["requested"] == "112212.00"

    # In euros the francs are converted by the inverse rate, half to even at the cent.
    in_euros = stats(client, funded, "?currency=EUR")
    assert in_euros["totals"]["requested"] == "162776.17"  # 120,000 + 40,000 / 0.9351

    before = client.get(
        f"/api/v1/stats/funding?rates_on={(rate_day - timedelta(days=1)).isoformat()}",
        headers=funded.headers("secretariat"),
    )
    assert before.status_code == 422
    assert before.json()["errors"][0]["rule"] == "exchange_rate_missing"

    headers = funded.headers("secretariat")
    as_csv = client.get("/api/v1/stats/funding?format=csv", headers=headers).text
    header = next(csv.reader(io.StringIO(as_csv.lstrip("\ufeff"))))
    assert header[:4] == ["requested (CHF)", "granted (CHF)", "committed (CHF)", "disbursed (CHF)"]
    workbook = load_workbook(
        io.BytesIO(client.get("/api/v1/stats/funding?format=xlsx", headers=headers).content)
    )
    assert workbook.sheetnames == ["Funding", "Rates"]
    rates = list(workbook["Rates"].iter_rows(values_only=True))
    assert rates[0] == ("base", "quote", "rate", "valid_from", "source")
    assert rates[1][:2] == ("EUR", "CHF") and Decimal(str(rates[1][2])) == Decimal("0.9351")


@pytest.mark.parametrize(
    "group_by",
    [
        "country",
        "call",
        "year",
        "organisation",
        "diaspora_led",
        "country,year",
        "priority",
        "funder",
    ],
)
def test_the_totals_are_the_same_however_the_rows_are_grouped(
    client: TestClient, funded: World, group_by: str
):
    """Grouped without overlap the totals are the rows' sums (no second query); with
    overlap (priority, funder) they are read apart: the same figures either way."""
    alone = stats(client, funded)["totals"]
    grouped = stats(client, funded, f"?group_by={group_by}")
    assert grouped["totals"] == alone
    if group_by not in ("priority", "funder"):
        for measure in ("requested", "granted", "committed", "proposals"):
            summed = sum(float(row[measure]) for row in grouped["rows"])
            assert summed == float(alone[measure])
