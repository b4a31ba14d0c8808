"""A call in one currency co-financed by funders in others: each commitment is kept in
both, with a copy of the rate it was converted with that later changes of the rate table
never alter; payments are made in the commitment's currency; the books hold in each
currency (`fundflow check`)."""

import random
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.cofinancing.disbursements import funder_part
from fundflow.cofinancing.invariants import violations
from fundflow.cofinancing.models import Commitment
from fundflow.core.dbtypes import utcnow
from fundflow.core.money import split_to_cents
from fundflow.funders.models import Envelope
from tests.builders import World
from tests.builders import exchange_rate as rate

TODAY = utcnow().date()


def in_euros(world: World, session: Session) -> None:
    """The world's cooperation call in EUR; its funder (the DDC) stays in CHF."""
    world.call.currency = "EUR"
    session.add(world.call)
    session.commit()


def test_a_eur_project_committed_by_a_chf_funder_keeps_its_rate(
    client: TestClient, world: World, session: Session
):
    in_euros(world, session)
    november = rate(session, "EUR", "CHF", "0.9351")
    project = world.project(granted="35000.00")
    secretariat = world.headers("secretariat")
    made = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=secretariat,
        json={"envelope_id": world.envelope.id, "amount": "35000.00"},
    )
    assert made.status_code == 201, made.text
    commitment = made.json()
    assert (commitment["amount"], commitment["funder_currency"], commitment["funder_amount"]) == (
        "35000.00",
        "CHF",
        "32728.50",
    )
    assert commitment["rate_used"] == {
        "id": november.id,
        "valid_from": november.valid_from.isoformat(),
        "base": "EUR",
        "quote": "CHF",
        "rate": "0.9351",
        "source": "AFC, moyenne mensuelle",
    }
    assert commitment["converted_on"] == TODAY.isoformat()
    envelope = client.get(f"/api/v1/envelopes/{world.envelope.id}", headers=secretariat).json()
    assert (envelope["currency"], envelope["committed"]) == ("CHF", "32728.50")

    # The rate table changes: a new rate today, the old one deleted. The commitment keeps
    # what it was converted with.
    rate(session, "EUR", "CHF", "0.9900", days_ago=0)
    assert (
        client.delete(f"/api/v1/exchange-rates/{november.id}", headers=secretariat).status_code
        == 204
    )
    after = client.get(f"/api/v1/commitments/{commitment['id']}", headers=secretariat).json()
    assert after["funder_amount"] == "32728.50" and after["rate_used"]["rate"] == "0.9351"
    ledger = client.get(f"/api/v1/projects/{project.id}/ledger", headers=secretariat).json()
    assert ledger["currency"] == "EUR"
    row = ledger["funders"][0]
    assert (row["committed"], row["funder_currency"], row["funder_committed"]) == (
        "35000.00",
        "CHF",
        "32728.50",
    )
    assert violations(session) == []


def test_a_funder_may_commit_a_round_sum_in_its_own_currency(
    client: TestClient, world: World, session: Session
):
    in_euros(world, session)
    rate(session, "EUR", "CHF", "0.9351")
    project = world.project(granted="35000.00")
    made = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=world.headers("secretariat"),
        json={"envelope_id": world.envelope.id, "funder_amount": "20000.00"},
    )
    assert made.status_code == 201, made.text
    # 20000 / 0.9351 = 21388.0868…: to the cent, half to even.
    assert (made.json()["amount"], made.json()["funder_amount"]) == ("21388.09", "20000.00")
    both = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=world.headers("secretariat"),
        json={"envelope_id": world.envelope.id, "amount": "1.00", "funder_amount": "1.00"},
    )
    assert both.status_code == 422


def test_without_a_rate_the_commitment_is_refused_and_nothing_changes(
    client: TestClient, world: World, session: Session
):
    in_euros(world, session)
    rate(session, "EUR", "CHF", "0.9351", days_ago=400)  # far too old to be used
    project = world.project(granted="35000.00")
    refused = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=world.headers("secretariat"),
        json={"envelope_id": world.envelope.id, "amount": "1000.00"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "exchange_rate_missing"
    session.expire_all()
    assert session.exec(select(Commitment)).all() == []
    envelope = session.get(Envelope, world.envelope.id)
    assert envelope is not None and envelope.committed == 0


def test_the_envelopes_cap_per_project_counts_in_its_own_currency(
    client: TestClient, world: World, session: Session
):
    in_euros(world, session)
    rate(session, "EUR", "CHF", "0.9351")
    geneva = world.envelope_of("Ville de Genève", max_amount_per_project="10000.00")
    project = world.project(granted="35000.00")
    within = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=world.headers("secretariat"),
        # EUR 10600 is CHF 9912.06: within CHF 10000, though above 10000 in euros.
        json={"envelope_id": geneva.id, "amount": "10600.00"},
    )
    assert within.status_code == 201, within.text
    beyond = client.post(
        f"/api/v1/projects/{project.id}/commitments",
        headers=world.headers("secretariat"),
        json={"envelope_id": geneva.id, "amount": "100.00"},
    )
    assert beyond.status_code == 422
    assert beyond.json()["errors"][0]["rule"] == "max_amount_per_project"


def test_payments_are_made_in_each_commitments_currency(
    client: TestClient, world: World, session: Session
):
    in_euros(world, session)
    rate(session, "EUR", "CHF", "0.9351")
    rate(session, "EUR", "XOF", "655.957")
    dakar = world.envelope_of("Ville de Dakar", currency="XOF", amount="50000000.00")
    project = world.signed(
        granted="33333.33", shares=((world.envelope, "20000.00"), (dakar, "13333.33"))
    )
    secretariat = world.headers("secretariat")
    first = client.get(f"/api/v1/projects/{project.id}/tranches", headers=secretariat).json()[0]
    paid = client.post(
        f"/api/v1/projects/{project.id}/disbursements",
        headers=secretariat,
        json={"tranche_id": first["id"], "paid_on": "2027-05-15", "reference": "VIR-1"},
    )
    assert paid.status_code == 201, paid.text
    shares = {s["funder_currency"]: s for s in paid.json()["shares"]}
    assert sum(Decimal(s["amount"]) for s in shares.values()) == Decimal(first["amount"])
    commitments = {c.funder_currency: c for c in session.exec(select(Commitment)).all()}
    for currency, share in shares.items():
        commitment = commitments[currency]
        expected = (
            commitment.funder_amount * Decimal(share["amount"]) / commitment.amount
        ).quantize(Decimal("0.01"))
        assert abs(Decimal(share["funder_amount"]) - expected) <= Decimal("0.01")
    session.expire_all()  # the requests share the test's session, as its transaction
    dakar_envelope = client.get(f"/api/v1/envelopes/{dakar.id}", headers=secretariat).json()
    assert dakar_envelope["disbursed"] == shares["XOF"]["funder_amount"]
    assert violations(session) == []


def test_the_last_payment_makes_each_funder_paid_exactly_its_commitment():
    """Whatever the tranches, paying them all pays each commitment's own-currency amount
    to the cent."""
    generator = random.Random(17)
    for _ in range(300):
        amount = Decimal(generator.randint(100, 10_000_000)) / 100
        funder_amount = (amount * Decimal(generator.uniform(0.001, 900))).quantize(Decimal("0.01"))
        commitment = Commitment(
            project_id=1, envelope_id=1, funder_id=1, amount=amount, funder_amount=funder_amount
        )
        pieces = split_to_cents(amount, [Decimal(generator.randint(1, 9)) for _ in range(4)])
        for piece in pieces:
            part = funder_part(commitment, piece)
            assert part >= 0
            commitment.disbursed += piece
            commitment.funder_disbursed += part
        assert commitment.funder_disbursed == funder_amount


def test_check_reports_a_funders_books_out_of_line(world: World, session: Session):
    in_euros(world, session)
    rate(session, "EUR", "CHF", "0.9351")
    project = world.project(granted="35000.00")
    commitment = world.commit(project, world.envelope, "35000.00")
    assert violations(session) == []
    commitment.funder_disbursed = Decimal("10.00")
    session.add(commitment)
    session.commit()
    found = violations(session)
    assert any("CHF 10.00" in line and "shares add up to" in line for line in found), found


def test_the_allocation_plans_a_foreign_envelope_at_the_days_rate(
    client: TestClient, world: World, session: Session
):
    """A CHF call; a EUR envelope of 20,000 (CHF 18,702 at 0.9351) beside the DDC's, whose
    envelope is cut to 20,000 for the plan to need both."""
    secretariat = world.headers("secretariat")
    client.patch(
        f"/api/v1/envelopes/{world.envelope.id}", headers=secretariat, json={"amount": "20000.00"}
    )
    brussels = world.envelope_of("Région de Bruxelles", currency="EUR", amount="20000.00")
    world.decided()  # granted CHF 35,000
    without_rate = client.post(f"/api/v1/calls/{world.call.id}/allocation", headers=secretariat)
    unfunded = without_rate.json()["unfunded"]
    assert [u["rule"] for u in unfunded] == ["shortfall"] and without_rate.json()["plan"] == []
    assert f"lack of an exchange rate today: envelope {brussels.id} (EUR)" in unfunded[0]["reason"]
    rate(session, "EUR", "CHF", "0.9351")
    plan = client.post(f"/api/v1/calls/{world.call.id}/allocation", headers=secretariat).json()
    assert plan["funded"] == 1
    available = {share["funder_id"]: share["available"] for share in plan["by_funder"]}
    assert available[brussels.funder_id] == "18702.00"
    applied = client.post(f"/api/v1/calls/{world.call.id}/allocation/apply", headers=secretariat)
    assert applied.status_code == 200, applied.text
    euro = next(c for c in applied.json()["created"] if c["funder_currency"] == "EUR")
    assert Decimal(euro["funder_amount"]) <= Decimal("20000.00")
    assert euro["rate_used"]["rate"] == "0.9351"
    assert violations(session) == []
