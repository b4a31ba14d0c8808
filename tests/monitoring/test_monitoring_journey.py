"""A signed project through an interim report (changes requested, then approved, which
releases the second tranche), the final report, and closing with a refund due."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from fundflow.calls.models import Call
from fundflow.cofinancing.invariants import violations
from fundflow.proposals.models import Indicator
from tests.builders import World


def post(client: TestClient, url: str, headers: dict, **body):  # type: ignore[no-untyped-def]
    response = client.post(url, headers=headers, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_reports_release_tranches_and_closing_settles_the_balance(
    client: TestClient, world: World, session: Session
):
    call = session.get(Call, world.call.id)
    call.tranches = [
        {"share": "0.50", "on": "on_signature"},
        {"share": "0.30", "on": "on_report_approved"},
        {"share": "0.20", "on": "on_final_report_approved"},
    ]
    session.commit()
    project = world.project("33333.33")
    world.commit(project, world.envelope, "33333.33")
    secretariat, association = world.headers("secretariat"), world.headers("applicant_a")
    base = f"/api/v1/projects/{project.id}"
    post(client, f"{base}/transitions", secretariat, action="sign_agreement")

    # 33,333.33 split 50/30/20: 16,666.665 / 9,999.999 / 6,666.666 → the two left-over
    # cents go to the larger remainders (0.999 and 0.666).
    tranches = client.get(f"{base}/tranches", headers=secretariat).json()
    assert [t["amount"] for t in tranches] == ["16666.66", "10000.00", "6666.67"]
    assert [t["status"] for t in tranches] == ["due", "pending", "pending"]
    post(
        client,
        f"{base}/disbursements",
        secretariat,
        tranche_id=tranches[0]["id"],
        paid_on="2027-06-01",
        reference="VIR-1",
    )

    interim, final = client.get(f"{base}/reports", headers=association).json()
    assert (interim["kind"], final["kind"]) == ("interim", "final")
    indicators = list(
        session.exec(
            select(Indicator.id)
            .where(Indicator.proposal_id == project.proposal_id)
            .order_by(Indicator.id)
        )
    )
    url = f"/api/v1/reports/{interim['id']}"
    first_draft = {
        "narrative": "Le réservoir est construit.",
        "indicator_values": [
            {"indicator_id": indicators[0], "value": "120"},
            {"indicator_id": indicators[1], "comment": "Mesure prévue au second semestre."},
        ],
        "expenses": [{"category": "investment", "amount": "15000.00"}],
        "own_funds_spent": "2000.00",
    }
    assert client.put(url, headers=association, json=first_draft).status_code == 200
    post(client, f"{url}/transitions", association, action="submit")
    assert client.put(url, headers=association, json=first_draft).status_code == 409
    post(
        client,
        f"{url}/transitions",
        secretariat,
        action="request_changes",
        comment="Joindre les factures du réservoir.",
    )
    revised = first_draft | {"narrative": "Le réservoir est construit; factures jointes."}
    assert client.put(url, headers=association, json=revised).status_code == 200
    post(client, f"{url}/transitions", association, action="submit")
    approved = post(client, f"{url}/transitions", secretariat, action="approve")
    assert approved["status"] == "approved" and approved["spent_from_grant"] == "13000.00"
    history = client.get(f"{url}/history", headers=association).json()
    assert [(v["number"], v["changes_requested"]) for v in history] == [
        (1, "Joindre les factures du réservoir."),
        (2, None),
    ]
    assert history[0]["content"]["narrative"] == "Le réservoir est construit."

    tranches = client.get(f"{base}/tranches", headers=secretariat).json()
    assert [t["status"] for t in tranches] == ["paid", "due", "pending"]
    post(
        client,
        f"{base}/disbursements",
        secretariat,
        tranche_id=tranches[1]["id"],
        paid_on="2028-07-01",
        reference="VIR-2",
    )
    progress = client.get(f"{base}/indicators", headers=world.headers("authority")).json()
    # Households: baseline 0, target 350, 120 reached → 34.3 %.
    assert (progress[0]["latest"], progress[0]["progress_percent"]) == ("120", "34.3")

    post(client, f"{base}/transitions", secretariat, action="end")
    final_url = f"/api/v1/reports/{final['id']}"
    client.put(
        final_url,
        headers=association,
        json={
            "narrative": "350 foyers raccordés.",
            "indicator_values": [
                {"indicator_id": indicators[0], "value": "350"},
                {"indicator_id": indicators[1], "value": "4200"},
            ],
            "expenses": [
                {"category": "investment", "amount": "12000.00"},
                {"category": "staff", "amount": "3000.00"},
            ],
            "own_funds_spent": "1000.00",
        },
    )
    post(client, f"{final_url}/transitions", association, action="submit")
    post(client, f"{final_url}/transitions", secretariat, action="approve")
    tranches = client.get(f"{base}/tranches", headers=secretariat).json()
    assert tranches[2]["status"] == "due"
    post(
        client,
        f"{base}/disbursements",
        secretariat,
        tranche_id=tranches[2]["id"],
        paid_on="2029-05-01",
        reference="VIR-3",
    )

    # Disbursed 33,333.33; spent from the grant 13,000 + 14,000 = 27,000 → 6,333.33 back.
    closed = post(client, f"{base}/transitions", secretariat, action="close")
    assert closed["status"] == "closed" and closed["disbursed_amount"] == "33333.33"
    refund = client.get(f"{base}/refund", headers=association).json()
    assert (refund["amount"], refund["status"]) == ("6333.33", "due")
    received = post(
        client,
        f"/api/v1/refunds/{refund['id']}/transitions",
        secretariat,
        action="refund_received",
        comment="Reçu le 12 juin 2029",
    )
    assert received["status"] == "received"
    assert client.get(base, headers=secretariat).json()["balance"] == "6333.33"
    assert violations(session) == []
