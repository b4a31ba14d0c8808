"""An award round from end to end over the API: nominations (by others and by oneself),
the nominee's answer, jury scoring with a conflict of interest excluded, the ranking,
decisions with prizes and citations, the prize paid through the ledger, publication."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.core.config import Settings
from fundflow.core.roles import Role
from fundflow.lifecycle.nominations import plan_notices
from fundflow.monitoring.reminders import send
from tests.awards.builders import nominate, nomination, open_round
from tests.builders import World, bearer, make_user
from tests.mail import Inbox


def act(client: TestClient, headers: dict[str, str], path: str, **body: Any) -> Any:
    return client.post(f"/api/v1/{path}/transitions", json=body, headers=headers)


def test_an_award_round_takes_the_defaults_of_its_kind(client: TestClient, world: World):
    call = open_round(client, world)
    assert call["kind"] == "award"
    assert [c["code"] for c in call["categories"]] == ["employer", "diaspora"]
    rules = call["rules"]
    assert rules["requires_partner"] is False and rules["members_only"] is False
    assert rules["requires_budget"] is False and rules["requires_logframe"] is False
    assert rules["requires_reports"] is False
    assert call["tranches"] == [{"share": "1.0000", "on": "on_signature"}]


def test_a_nomination_needs_no_partner_budget_or_logframe(client: TestClient, world: World):
    call = open_round(client, world)
    headers = world.headers("applicant_a")
    proposal = nominate(client, world, "applicant_a", nomination(call["id"]), submit=False)
    assert proposal["nomination"] == {
        "category": "employer",
        "category_label": "Employeur intégrant",
        "category_label_en": "Integrating employer",
        "self_nomination": False,
        "nominee_name": "Menuiserie Rochat SA",
        "nominee_kind": "employer",
        "nominee_email": "direction@rochat.example",
        "nominee_response": None,
        "nominee_notified_at": None,
        "nominee_responded_at": None,
    }
    checks = client.get(f"/api/v1/proposals/{proposal['id']}/eligibility", headers=headers).json()
    assert checks["eligible"] is True, checks
    rules = {c["rule"] for c in checks["checks"]}
    assert "nomination" in rules
    assert not rules & {"request_range", "budget_balanced", "duration", "other_funding_declared"}
    # a proposal of a funding call says nothing of nominations
    assert world.proposal().id
    funding = client.get(f"/api/v1/proposals/{world.proposal().id}", headers=headers).json()
    assert funding["nomination"] is None


def test_a_nomination_is_refused_what_the_round_does_not_have(client: TestClient, world: World):
    call = open_round(client, world)
    headers = world.headers("applicant_a")
    wrong_category = nomination(call["id"], category="sport")
    refused = client.post("/api/v1/proposals", json=wrong_category, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "nomination", "category"]
    in_a_funding_call = nomination(world.call.id)
    refused = client.post("/api/v1/proposals", json=in_a_funding_call, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "nomination"]
    bad_email = nomination(call["id"], nominee_email="not an address")
    assert client.post("/api/v1/proposals", json=bad_email, headers=headers).status_code == 422
    # without the nominee's e-mail it cannot be submitted: they could not be told
    no_email = nomination(call["id"], nominee_email=None)
    draft = nominate(client, world, "applicant_a", no_email, submit=False)
    refused = act(client, headers, f"proposals/{draft['id']}", action="submit")
    assert refused.status_code == 422
    failed = {e["rule"]: e["message"] for e in refused.json()["errors"]}
    assert "nominee_email" in failed["nomination"]
    after = client.get(f"/api/v1/proposals/{draft['id']}", headers=headers).json()
    assert after["status"] == "draft" and after["nomination"]["nominee_response"] is None


def test_the_nominee_is_told_once_and_may_decline(
    client: TestClient, world: World, session: Session, smtp: tuple[Inbox, int]
):
    call = open_round(client, world)
    proposal = nominate(client, world, "applicant_a", nomination(call["id"]))
    assert proposal["nomination"]["nominee_response"] == "pending"
    own = nominate(
        client,
        world,
        "applicant_b",
        nomination(call["id"], self_nomination=True, category="diaspora", nominee_kind=None),
    )
    assert own["nomination"]["nominee_name"] == "Teranga Vaud"
    assert own["nomination"]["nominee_response"] == "accepted"

    inbox, port = smtp
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=port, public_url="https://fundflow.example/"
    )
    planned = plan_notices(session, settings)
    assert send(settings, [message for _, message in planned]) == []
    assert plan_notices(session, settings) == []  # told once
    [(to, subject, body)] = inbox.messages
    assert to == ["direction@rochat.example"]
    assert "Prix de l'intégration 2027" in subject
    assert "Association Tafraout Solidarité a proposé Menuiserie Rochat SA" in body
    assert "Association Tafraout Solidarité nominated Menuiserie Rochat SA" in body
    link = next(line for line in body.splitlines() if line.startswith("https://"))
    assert link.startswith("https://fundflow.example/distinctions/nomination?jeton=")
    token = link.split("jeton=")[1]

    seen = client.get("/api/v1/nominee-answer", params={"token": token})
    assert seen.status_code == 200
    assert seen.json()["nominated_by"] == "Association Tafraout Solidarité"
    assert seen.json()["category_label"] == "Employeur intégrant"
    assert seen.json()["can_answer"] is True
    wrong = client.get("/api/v1/nominee-answer", params={"token": "x" * 43})
    assert wrong.status_code == 404

    accepted = client.post("/api/v1/nominee-answer", json={"token": token, "response": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["response"] == "accepted"
    declined = client.post(
        "/api/v1/nominee-answer",
        json={"token": token, "response": "declined", "comment": "Nous préférons la discrétion."},
    )
    assert declined.status_code == 200
    assert declined.json() | {"response": "declined", "can_answer": False} == declined.json()
    headers = world.headers("applicant_a")
    after = client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).json()
    assert after["status"] == "withdrawn"
    assert after["nomination"]["nominee_response"] == "declined"
    events = client.get(f"/api/v1/proposals/{proposal['id']}/events", headers=headers).json()
    last = events["items"][-1] if isinstance(events, dict) else events[-1]
    assert last["action"] == "decline_nomination"
    assert last["comment"] == "Nous préférons la discrétion."
    again = client.post("/api/v1/nominee-answer", json={"token": token, "response": "accepted"})
    assert again.status_code == 409
    # a self-nomination has no nominee to answer: nobody was mailed for it
    assert len(inbox.messages) == 1


def _review(
    client: TestClient, world: World, review_id: int, who: str, impact: str, exemplary: str
) -> None:
    headers = world.headers(who)
    saved = client.put(
        f"/api/v1/reviews/{review_id}",
        json={
            "scores": [
                {"criterion": "impact", "score": impact},
                {"criterion": "exemplary", "score": exemplary},
            ],
            "recommendation": "approve",
            "comment": "Vu en séance du jury.",
        },
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    assert act(client, headers, f"reviews/{review_id}", action="submit").status_code == 200


def test_a_round_from_nomination_to_publication(client: TestClient, world: World):
    secretariat = world.headers("secretariat")
    call = open_round(client, world)
    juror_of_b = make_user(
        world.session,
        "moussa@teranga.example",
        Role.COMMISSION,
        Role.APPLICANT,
        organisation=world.org_b,
    )
    juror_c = make_user(world.session, "claire@jury.example", Role.COMMISSION)
    world.session.commit()

    employer = nominate(client, world, "applicant_a", nomination(call["id"]))
    diaspora = nominate(
        client,
        world,
        "applicant_a",
        nomination(
            call["id"],
            title="Cours de français par les mères du quartier",
            category="diaspora",
            nominee_name="Femmes d'ici et d'ailleurs",
            nominee_kind="association",
            nominee_email="contact@femmes-ici.example",
        ),
    )
    own = nominate(
        client,
        world,
        "applicant_b",
        nomination(call["id"], title="Teranga Vaud", self_nomination=True, category="diaspora"),
    )
    ids = [employer["id"], diaspora["id"], own["id"]]
    for pid in ids:
        accepted = act(client, secretariat, f"proposals/{pid}", action="accept_for_review")
        assert accepted.status_code == 200, accepted.text

    # the jury: a member of the self-nominated association cannot review it
    refused = client.post(
        f"/api/v1/proposals/{own['id']}/reviews",
        json={"reviewer_id": juror_of_b.id},
        headers=secretariat,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "conflict_of_interest"
    reviews: dict[tuple[int, int], int] = {}
    for pid in ids:
        for juror in (world.commission, world.commission_b):
            made = client.post(
                f"/api/v1/proposals/{pid}/reviews",
                json={"reviewer_id": juror.id},
                headers=secretariat,
            )
            assert made.status_code == 201, made.text
            reviews[(pid, juror.id or 0)] = made.json()["id"]
    # one juror knows the employer: declared, the review leaves the ranking
    conflict = act(
        client,
        world.headers("commission"),
        f"reviews/{reviews[(employer['id'], world.commission.id or 0)]}",
        action="declare_conflict",
        comment="J'ai travaillé chez Rochat.",
    )
    assert conflict.status_code == 200 and conflict.json()["status"] == "declined"
    replacement = client.post(
        f"/api/v1/proposals/{employer['id']}/reviews",
        json={"reviewer_id": juror_c.id},
        headers=secretariat,
    )
    assert replacement.status_code == 201
    scores = {
        (employer["id"], "commission_b"): ("5", "4.5"),
        (diaspora["id"], "commission"): ("4", "4"),
        (diaspora["id"], "commission_b"): ("4", "3.5"),
        (own["id"], "commission"): ("2", "2.5"),
        (own["id"], "commission_b"): ("2.5", "2"),
    }
    for (pid, who), (impact, exemplary) in scores.items():
        juror = getattr(world, who)
        _review(client, world, reviews[(pid, juror.id)], who, impact, exemplary)
    headers_c = bearer(juror_c, world.session)
    saved = client.put(
        f"/api/v1/reviews/{replacement.json()['id']}",
        json={
            "scores": [
                {"criterion": "impact", "score": "4.5"},
                {"criterion": "exemplary", "score": "5"},
            ],
            "recommendation": "approve",
        },
        headers=headers_c,
    )
    assert saved.status_code == 200, saved.text
    submitted = act(client, headers_c, f"reviews/{replacement.json()['id']}", action="submit")
    assert submitted.status_code == 200

    ranking = client.get(f"/api/v1/calls/{call['id']}/ranking", headers=secretariat).json()
    order = [item["proposal_id"] for item in ranking["items"]]
    assert order == [employer["id"], diaspora["id"], own["id"]]
    top = ranking["items"][0]
    assert top["reviews_submitted"] == 2  # the declared conflict does not count
    assert [c["mean"] for c in top["criteria"]] == ["4.75", "4.75"]

    # decisions: a grant's outcome is not one of a round's, a prize needs its citation
    options = client.get(f"/api/v1/proposals/{employer['id']}/transitions", headers=secretariat)
    decide = next(o for o in options.json() if o["action"] == "decide")
    assert decide["to"] == ["awarded", "not_awarded"]

    def decide(proposal: dict[str, Any], **terms: Any) -> Any:
        path = f"proposals/{proposal['id']}"
        return act(client, secretariat, path, action="decide", rationale="Le jury.", **terms)

    wrong = decide(employer, outcome="approved", granted_amount="5000")
    assert wrong.status_code == 422
    no_citation = decide(employer, outcome="awarded", prize_amount="5000")
    assert no_citation.status_code == 422
    assert {e["rule"] for e in no_citation.json()["errors"]} == {"citation"}
    citation = "Pour quatre apprentissages offerts chaque année à des jeunes réfugiés."
    awarded = decide(employer, outcome="awarded", prize_amount="5000", citation=citation)
    assert awarded.status_code == 200, awarded.text
    assert awarded.json()["status"] == "awarded" and awarded.json()["project_id"]
    mention = decide(
        diaspora, outcome="awarded", prize_amount="0", citation="Mention: un quartier qui apprend."
    )
    assert mention.status_code == 200 and mention.json()["project_id"] is None
    not_awarded = decide(own, outcome="not_awarded")
    assert not_awarded.status_code == 200 and not_awarded.json()["status"] == "not_awarded"
    decision = client.get(
        f"/api/v1/proposals/{employer['id']}/decision", headers=world.headers("applicant_a")
    ).json()
    assert decision["prize_amount"] == "5000.00" and decision["citation"] == citation
    assert decision["granted_amount"] is None

    # the prize, through the ledger: one commitment, one tranche, one payment, no reports
    project_id = awarded.json()["project_id"]
    envelope = client.post(
        f"/api/v1/funders/{world.funder.id}/envelopes",
        json={"year": call["year"], "amount": "20000.00", "call_id": call["id"]},
        headers=secretariat,
    )
    assert envelope.status_code == 201, envelope.text
    commitment = client.post(
        f"/api/v1/projects/{project_id}/commitments",
        json={"envelope_id": envelope.json()["id"], "amount": "5000.00"},
        headers=secretariat,
    ).json()
    confirmed = act(
        client, world.headers("authority"), f"commitments/{commitment['id']}", action="confirm"
    )
    assert confirmed.status_code == 200
    signed = act(client, secretariat, f"projects/{project_id}", action="sign_agreement")
    assert signed.status_code == 200, signed.text
    [tranche] = client.get(f"/api/v1/projects/{project_id}/tranches", headers=secretariat).json()
    assert (tranche["amount"], tranche["status"]) == ("5000.00", "due")
    reports = client.get(f"/api/v1/projects/{project_id}/reports", headers=secretariat).json()
    assert reports == [] or reports.get("items") == []
    paid = client.post(
        f"/api/v1/projects/{project_id}/disbursements",
        json={"tranche_id": tranche["id"], "paid_on": "2027-06-20", "reference": "PRIX-2027-1"},
        headers=secretariat,
    )
    assert paid.status_code == 201, paid.text
    ledger = client.get(f"/api/v1/projects/{project_id}/ledger", headers=secretariat).json()
    assert ledger["disbursed"] == "5000.00"
    for action in ("end", "close"):
        done = act(client, secretariat, f"projects/{project_id}", action=action)
        assert done.status_code == 200, done.text
    project = client.get(f"/api/v1/projects/{project_id}", headers=secretariat).json()
    assert project["status"] == "closed" and project["balance"] == "0.00"

    # published once the round is closed: the laureates, nothing of the others
    assert client.get("/api/v1/public/awards").json()["items"] == []
    closed = act(client, secretariat, f"calls/{call['id']}", action="close")
    assert closed.status_code == 200
    published = client.get("/api/v1/public/awards")
    laureates = published.json()["items"]
    assert [(item["laureate"], item["amount"]) for item in laureates] == [
        ("Menuiserie Rochat SA", "5000.00"),
        ("Femmes d'ici et d'ailleurs", "0.00"),
    ]
    first = laureates[0]
    assert first["round"] == "Prix de l'intégration 2027" and first["round_id"] == call["id"]
    assert (first["category"], first["category_label"]) == ("employer", "Employeur intégrant")
    assert first["citation"] == citation and first["currency"] == "CHF"
    text = published.text
    for hidden in ("Teranga Vaud", "direction@rochat.example", "Tafraout", "4.75", "Le jury"):
        assert hidden not in text
    one = client.get(f"/api/v1/public/awards/{employer['id']}")
    assert one.status_code == 200 and one.json() == first
    assert client.get(f"/api/v1/public/awards/{own['id']}").status_code == 404
    by_round = client.get("/api/v1/public/awards", params={"round_id": world.call.id})
    assert by_round.json()["items"] == []
    # a prize's project is not in the register of funded projects: it is in the awards
    register = client.get("/api/v1/public/projects").json()["items"]
    assert project_id not in [item["project_id"] for item in register]
    assert client.get(f"/api/v1/public/projects/{project_id}").status_code == 404
    funded = world.signed()  # a funding call's project, beside the prize
    iati = client.get("/api/v1/exports/iati", headers=secretariat)
    assert iati.status_code == 200 and "Menuiserie" not in iati.text
    assert funded.title in iati.text


def test_a_revision_naming_another_nominee_tells_the_new_one(
    client: TestClient, world: World, session: Session
):
    call = open_round(client, world)
    proposal = nominate(client, world, "applicant_a", nomination(call["id"]))
    [(first, _)] = plan_notices(session, Settings())
    old_token = first.token
    secretariat = world.headers("secretariat")
    returned = act(
        client,
        secretariat,
        f"proposals/{proposal['id']}",
        action="return_for_revision",
        comment="Nommez l'entreprise elle-même.",
    )
    assert returned.status_code == 200
    headers = world.headers("applicant_a")
    changed = client.patch(
        f"/api/v1/proposals/{proposal['id']}",
        json={
            "nomination": {
                "category": "employer",
                "nominee_name": "Rochat Frères SA",
                "nominee_kind": "employer",
                "nominee_email": "rh@rochat-freres.example",
            }
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["nomination"]["nominee_response"] is None
    assert act(client, headers, f"proposals/{proposal['id']}", action="submit").status_code == 200
    [(second, message)] = plan_notices(session, Settings())
    session.commit()  # as `fundflow remind` does before sending
    assert message.to == "rh@rochat-freres.example"
    gone = client.get("/api/v1/nominee-answer", params={"token": old_token})
    assert gone.status_code == 404
    assert client.get("/api/v1/nominee-answer", params={"token": second.token}).status_code == 200
