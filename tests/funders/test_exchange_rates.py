"""Exchange rates as data: entered or imported by the secretariat, read by everyone signed
in; a conversion takes the pair's latest rate on or before its day (either way round),
rounds to the cent half to even, and refuses with a 422 when no recent rate exists."""

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.core.audit import Event
from fundflow.core.config import get_settings
from fundflow.core.errors import RuleViolation
from fundflow.funders import rates
from fundflow.funders.models import ExchangeRate
from tests.builders import World

RATES = "/api/v1/exchange-rates"


def add(client: TestClient, world: World, **fields: str):  # type: ignore[no-untyped-def]
    body = {"valid_from": "2026-11-01", "base": "EUR", "quote": "CHF", "rate": "0.9351"}
    return client.post(
        RATES,
        json={**body, "source": "AFC, novembre 2026", **fields},
        headers=world.headers("secretariat"),
    )


def conversion(client: TestClient, world: World, amount: str, frm: str, to: str, on: str):  # type: ignore[no-untyped-def]
    return client.get(
        f"{RATES}/conversion",
        params={"amount": amount, "from": frm, "to": to, "on": on},
        headers=world.headers("applicant_a"),
    )


def test_the_secretariat_records_a_rate_and_everyone_reads_it(client: TestClient, world: World):
    created = add(client, world)
    assert created.status_code == 201, created.text
    assert created.json()["rate"] == "0.9351" and created.json()["base"] == "EUR"
    listed = client.get(RATES, params={"base": "EUR"}, headers=world.headers("applicant_b"))
    assert [r["rate"] for r in listed.json()["items"]] == ["0.9351"]
    assert (
        client.get(RATES, params={"base": "USD"}, headers=world.headers("authority")).json()[
            "items"
        ]
        == []
    )
    again = add(client, world, rate="0.94")
    assert again.status_code == 409
    assert "0.9351" in again.json()["detail"]


@pytest.mark.parametrize(
    "fields",
    [
        {"rate": "0"},
        {"rate": "-1.2"},
        {"rate": "0.123456789"},
        {"rate": "abc"},
        {"base": "XXZ"},
        {"quote": "EUR"},
        {"valid_from": "2026-13-01"},
        {"source": "  "},
    ],
)
def test_a_wrong_rate_is_refused_and_nothing_is_recorded(
    client: TestClient, world: World, session: Session, fields: dict[str, str]
):
    answer = add(client, world, **fields)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert session.exec(select(ExchangeRate)).all() == []


def test_a_conversion_takes_the_latest_rate_on_or_before_its_day(client: TestClient, world: World):
    add(client, world, valid_from="2026-10-01", rate="0.9400")
    add(client, world, valid_from="2026-11-01", rate="0.9351")
    add(client, world, valid_from="2026-12-01", rate="0.9300")
    november = conversion(client, world, "10000.00", "EUR", "CHF", "2026-11-30").json()
    assert november["converted"] == "9351.00"
    assert november["used"]["valid_from"] == "2026-11-01"
    assert november["used"]["source"] == "AFC, novembre 2026"
    october = conversion(client, world, "10000.00", "EUR", "CHF", "2026-10-31").json()
    assert october["converted"] == "9400.00"


def test_the_inverse_rate_serves_the_other_way_round(client: TestClient, world: World):
    add(client, world, rate="0.9351")
    answer = conversion(client, world, "9351.00", "CHF", "EUR", "2026-11-15").json()
    assert answer["converted"] == "10000.00"
    assert answer["rate"] == "1.06940434"
    # The row used, as it stands in the table (never a rounded inverse).
    assert (answer["used"]["base"], answer["used"]["rate"]) == ("EUR", "0.9351")


def test_one_currency_needs_no_rate(client: TestClient, world: World):
    answer = conversion(client, world, "125.50", "CHF", "CHF", "2026-11-15").json()
    assert answer["converted"] == "125.50" and answer["used"] is None


@pytest.mark.parametrize(
    ("on", "why"),
    [("2026-10-31", "before any rate"), ("2027-02-01", "the rate is too old")],
)
def test_a_missing_rate_is_a_clear_422_never_a_guess(
    client: TestClient, world: World, on: str, why: str
):
    add(client, world, valid_from="2026-11-01")
    answer = conversion(client, world, "100.00", "EUR", "CHF", on)
    assert answer.status_code == 422, why
    body = answer.json()
    assert body["errors"][0]["rule"] == "exchange_rate_missing"
    assert "EUR→CHF" in body["errors"][0]["message"]
    french = client.get(
        f"{RATES}/conversion",
        params={"amount": "100.00", "from": "EUR", "to": "CHF", "on": on},
        headers={**world.headers("applicant_a"), "Accept-Language": "fr"},
    )
    assert "Aucun taux EUR→CHF" in french.json()["errors"][0]["message"]


def test_converted_amounts_round_half_to_even(session: Session, world: World):
    session.add(
        ExchangeRate(
            valid_from=date(2026, 11, 1), base="EUR", quote="CHF", rate=Decimal("1.5"), source="t"
        )
    )
    session.flush()
    settings = get_settings()

    def chf(amount: str) -> Decimal:
        return rates.convert(
            session,
            settings=settings,
            amount=Decimal(amount),
            currency="EUR",
            to_currency="CHF",
            on=date(2026, 11, 2),
        ).converted

    assert chf("0.05") == Decimal("0.08")  # 0.075 → the even cent above
    assert chf("0.15") == Decimal("0.22")  # 0.225 → the even cent below
    assert chf("0.03") == Decimal("0.04")  # 0.045 → 0.04
    with pytest.raises(RuleViolation):
        rates.convert(
            session,
            settings=settings,
            amount=Decimal(1),
            currency="EUR",
            to_currency="XOF",
            on=date(2026, 11, 2),
        )


CSV = (
    "valid_from;base;quote;rate;source;units\n"
    "2026-11-01;EUR;CHF;0.9351;AFC novembre 2026;1\n"
    "2026-11-01;USD;CHF;0.8040;AFC novembre 2026;1\n"
    "2026-11-01;JPY;CHF;0.5420;AFC novembre 2026;100\n"
    "2026-11-01;CHF;XOF;701.35;BCEAO;\n"
)


def upload(client: TestClient, world: World, text: str, who: str = "secretariat"):  # type: ignore[no-untyped-def]
    return client.post(
        f"{RATES}/import",
        files={"file": ("rates.csv", text.encode(), "text/csv")},
        headers=world.headers(who),
    )


def test_a_month_of_rates_is_imported_once(client: TestClient, world: World, session: Session):
    first = upload(client, world, CSV)
    assert first.status_code == 200, first.text
    assert first.json() == {"imported": 4, "unchanged": 0}
    yen = conversion(client, world, "10000.00", "JPY", "CHF", "2026-11-20").json()
    assert yen["converted"] == "54.20"
    again = upload(client, world, CSV)
    assert again.json() == {"imported": 0, "unchanged": 4}
    assert len(session.exec(select(ExchangeRate)).all()) == 4
    assert session.exec(select(Event).where(Event.action == "import")).all()


def test_a_file_with_a_wrong_line_imports_nothing(
    client: TestClient, world: World, session: Session
):
    wrong = CSV + "2026-11-01;EUR;CHF;0.99;doublon;1\n2026-11-31;GBP;CHF;1.1;AFC;1\n"
    answer = upload(client, world, wrong)
    assert answer.status_code == 422
    lines = [e["rule"] for e in answer.json()["errors"]]
    assert lines == ["line 6", "line 7"]
    assert session.exec(select(ExchangeRate)).all() == []
    # A different rate than the one recorded refuses the file too.
    upload(client, world, CSV)
    changed = CSV.replace("0.9351", "0.9400")
    refused = upload(client, world, changed)
    assert refused.status_code == 422 and refused.json()["errors"][0]["rule"] == "line 2"


@pytest.mark.parametrize(
    "text",
    ["", "date,currency,value\n2026-11-01,EUR,0.93\n", "\xff\xfe not text"],
)
def test_a_file_that_is_no_rate_table_is_refused(client: TestClient, world: World, text: str):
    answer = client.post(
        f"{RATES}/import",
        files={"file": ("rates.csv", text.encode("latin-1"), "text/csv")},
        headers=world.headers("secretariat"),
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_rate_entered_by_mistake_is_deleted(client: TestClient, world: World):
    created = add(client, world).json()
    gone = client.delete(f"{RATES}/{created['id']}", headers=world.headers("secretariat"))
    assert gone.status_code == 204
    assert conversion(client, world, "1.00", "EUR", "CHF", "2026-11-02").status_code == 422
