"""An award round as the secretariat sets it up over the API, and nominations in it."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from fundflow.accounts.models import User
from fundflow.accounts.service import actor_of
from fundflow.calls.models import Call
from fundflow.calls.schemas import CallCreate
from fundflow.calls.service import create_call
from fundflow.calls.workflow import CALL_MACHINE
from fundflow.core.dbtypes import utcnow
from fundflow.core.tokens import digest_of
from fundflow.core.transitions import perform_transition
from fundflow.core.workflow import Machine
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.proposals.models import Proposal
from fundflow.proposals.schemas import ProposalCreate
from fundflow.proposals.service import create_proposal
from tests.builders import World

CATEGORIES = [
    {"code": "employer", "label": "Employeur intégrant", "label_en": "Integrating employer"},
    {
        "code": "diaspora",
        "label": "Initiative de la diaspora",
        "label_en": "Diaspora initiative",
    },
]
CRITERIA = [
    {"code": "impact", "label": "Impact", "weight": "2", "max_score": "5"},
    {"code": "exemplary", "label": "Exemplarité", "weight": "1", "max_score": "5"},
]


def round_payload(**overrides: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "kind": "award",
        "title": "Prix de l'intégration 2027",
        "year": now.year + 1,
        "opens_at": (now - timedelta(days=10)).isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "categories": CATEGORIES,
        "criteria": CRITERIA,
    } | overrides


def open_round(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    headers = world.headers("secretariat")
    created = client.post("/api/v1/calls", json=round_payload(**overrides), headers=headers)
    assert created.status_code == 201, created.text
    call = created.json()
    opened = client.post(
        f"/api/v1/calls/{call['id']}/transitions", json={"action": "open"}, headers=headers
    )
    assert opened.status_code == 200, opened.text
    return opened.json()


def nomination(call_id: int, **nominee: Any) -> dict[str, Any]:
    """A nomination of an employer by others unless ``nominee`` says otherwise."""
    return {
        "call_id": call_id,
        "title": nominee.pop("title", "Apprentissages pour réfugiés chez Menuiserie Rochat"),
        "summary": nominee.pop(
            "summary",
            "Depuis 2022, l'entreprise forme chaque année quatre apprentis réfugiés, "
            "avec un parrainage par un employé.",
        ),
        "country": "CH",
        "locality": nominee.pop("locality", "Yverdon-les-Bains"),
        "nomination": {
            "category": "employer",
            "nominee_name": "Menuiserie Rochat SA",
            "nominee_kind": "employer",
            "nominee_email": "direction@rochat.example",
        }
        | nominee,
    }


def nominate(
    client: TestClient, world: World, who: str, body: dict[str, Any], *, submit: bool = True
) -> dict[str, Any]:
    headers = world.headers(who)
    created = client.post("/api/v1/proposals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    proposal = created.json()
    if submit:
        submitted = client.post(
            f"/api/v1/proposals/{proposal['id']}/transitions",
            json={"action": "submit"},
            headers=headers,
        )
        assert submitted.status_code == 200, submitted.text
        proposal = submitted.json()
    return proposal


def announced_round(client: TestClient, world: World) -> dict[str, Any]:
    """A round closed with its decisions: the employer nominated by association A awarded
    5,000 francs, association B's self-nomination not awarded."""
    secretariat = world.headers("secretariat")
    call = open_round(client, world)
    employer = nominate(client, world, "applicant_a", nomination(call["id"]))
    own = nominate(
        client,
        world,
        "applicant_b",
        nomination(call["id"], title="Teranga Vaud", self_nomination=True, category="diaspora"),
    )
    for item, sheets in (
        (employer, ({"impact": "5", "exemplary": "4"}, {"impact": "4.5", "exemplary": "4"})),
        (own, ({"impact": "2", "exemplary": "2"}, {"impact": "2.5", "exemplary": "3"})),
    ):
        path = f"/api/v1/proposals/{item['id']}/transitions"
        accepted = client.post(path, json={"action": "accept_for_review"}, headers=secretariat)
        assert accepted.status_code == 200, accepted.text
        proposal = world.session.get(Proposal, item["id"])
        assert proposal is not None
        for who, sheet in zip(("commission", "commission_b"), sheets, strict=True):
            world.review(proposal, who, dict(sheet))
    decisions = (
        (employer, {"outcome": "awarded", "prize_amount": "5000", "citation": CITATION}),
        (own, {"outcome": "not_awarded"}),
    )
    for item, terms in decisions:
        decided = client.post(
            f"/api/v1/proposals/{item['id']}/transitions",
            json={"action": "decide", "rationale": "Le jury, unanime."} | terms,
            headers=secretariat,
        )
        assert decided.status_code == 200, decided.text
    closed = client.post(
        f"/api/v1/calls/{call['id']}/transitions", json={"action": "close"}, headers=secretariat
    )
    assert closed.status_code == 200, closed.text
    return {"call": call, "laureate": employer["id"], "not_awarded": own["id"]}


CITATION = "Pour quatre apprentissages offerts chaque année à des jeunes réfugiés."


def take(
    world: World, machine: Machine[Any], entity: Any, who: User, action: str, **payload: Any
) -> None:
    """``who`` takes ``action`` on ``entity`` through the engine, in the roles it holds."""
    perform_transition(
        world.session,
        machine=machine,
        entity=entity,
        actor=actor_of(who),
        acting_roles=set(who.roles),
        action=action,
        payload=payload or None,
    )


def service_round(world: World) -> tuple[int, int]:
    """Without HTTP: a round with one nomination by association A of an employer, submitted
    (its nominee told through the link ``NOMINEE_TOKEN``) and reviewed twice; (call, proposal)."""
    call = create_call(
        world.session,
        actor=actor_of(world.secretariat),
        data=CallCreate.model_validate(round_payload()),
    )
    take(world, CALL_MACHINE, call, world.secretariat, "open")
    assert call.id is not None
    proposal = create_proposal(
        world.session,
        actor=actor_of(world.applicant_a),
        data=ProposalCreate.model_validate(nomination(call.id)),
    )
    take(world, PROPOSAL_MACHINE, proposal, world.applicant_a, "submit")
    take(world, PROPOSAL_MACHINE, proposal, world.secretariat, "accept_for_review")
    proposal.nominee_token_digest = digest_of(NOMINEE_TOKEN)
    world.session.add(proposal)
    world.session.commit()
    for who, impact in (("commission", "5"), ("commission_b", "4")):
        world.review(proposal, who, {"impact": impact, "exemplary": "4"})
    assert proposal.id is not None
    return call.id, proposal.id


def service_laureate(world: World) -> int:
    """``service_round``'s nomination awarded 5,000 francs, the round closed."""
    call_id, proposal_id = service_round(world)
    terms = {"outcome": "awarded", "prize_amount": "5000", "citation": CITATION}
    proposal = world.session.get(Proposal, proposal_id)
    take(
        world,
        PROPOSAL_MACHINE,
        proposal,
        world.secretariat,
        "decide",
        rationale="Le jury.",
        **terms,
    )
    take(world, CALL_MACHINE, world.session.get(Call, call_id), world.secretariat, "close")
    world.session.commit()
    return proposal_id


NOMINEE_TOKEN = "a-nominee-link-secret-for-tests"
