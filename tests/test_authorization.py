"""Every endpoint × every role: allowed, forbidden (403) or invisible (404).

Each row names an endpoint and the status each caller gets; callers not listed get the
row's default. ``applicant_b`` belongs to another association than the data's owner.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlmodel import Session, select

from fundflow.accounts.service import actor_of
from fundflow.accounts.sessions import open_session
from fundflow.core.dbtypes import utcnow
from fundflow.decisions.models import Decision
from fundflow.organisations.directory import save_entry
from fundflow.organisations.schemas import DirectoryEntryIn
from fundflow.proposals.coaching.schemas import CommentCreate
from fundflow.proposals.coaching.service import add_comment, request_advice
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.service import assign_reviewer
from tests.awards.builders import NOMINEE_TOKEN, service_laureate, service_round
from tests.builders import World, call_payload, make_call, proposal_payload
from tests.builders import exchange_rate as recorded_rate

CALLERS = [
    "anonymous",
    "admin",
    "secretariat",
    "commission",
    "applicant_a",
    "applicant_b",
    "authority",
]
STAFF = {"admin": 200, "secretariat": 200, "commission": 200, "authority": 200}


@dataclass
class Row:
    name: str
    method: str
    path: str
    expected: dict[str, int]
    default: int = 403
    body: Callable[[World], Any] | None = None
    files: Callable[[World], Any] | None = None
    # Open to everyone, signed in or not.
    public: bool = False
    # Ids the path's placeholders take, when not the world's usual ones.
    ids: Callable[[World], dict[str, int]] = lambda w: {}
    query: str = ""

    def url(self, w: World) -> str:
        return (self.path + self.query).format(**(usual_ids(w) | self.ids(w)))


def usual_ids(w: World) -> dict[str, Any]:
    return {
        "user_id": w.commission.id,
        "organisation_id": w.org_a.id,
        "partner_id": w.partner_a.id,
        "funder_id": w.funder.id,
        "envelope_id": w.envelope.id,
        "call_id": w.call.id,
    }


def commission_session(w: World) -> int:
    """A session of the commission member's (the usual ``user_id``), another device."""
    opened = open_session(w.session, user=w.commission, lifetime=timedelta(hours=1))
    w.session.commit()
    assert opened.id is not None
    return opened.id


def exchange_rate(w: World) -> int:
    rate = recorded_rate(w.session, "EUR", "CHF", "0.9351")
    assert rate.id is not None
    return rate.id


def draft(w: World) -> int:
    return w.proposal(status=ProposalStatus.DRAFT).id  # type: ignore[return-value]


def submitted(w: World) -> int:
    return w.proposal(status=ProposalStatus.SUBMITTED).id  # type: ignore[return-value]


def shared(w: World) -> int:
    """A draft its association shared with the secretariat for advice."""
    proposal = w.proposal(status=ProposalStatus.DRAFT)
    request_advice(w.session, actor=actor_of(w.applicant_a), proposal=proposal)
    w.session.commit()
    return proposal.id  # type: ignore[return-value]


def commented(w: World) -> dict[str, int]:
    """A shared draft with the secretariat's comment for the association."""
    proposal_id = shared(w)
    proposal = w.session.get(Proposal, proposal_id)
    comment = add_comment(
        w.session,
        actor=actor_of(w.secretariat),
        proposal=proposal,  # type: ignore[arg-type]
        data=CommentCreate(body="Détaillez le budget.", section="budget"),  # type: ignore[arg-type]
    )
    w.session.commit()
    return {"proposal_id": proposal_id, "comment_id": comment.id}  # type: ignore[dict-item]


def reviewed(w: World) -> int:
    return w.reviewed().id  # type: ignore[return-value]


def open_review(w: World) -> int:
    """An assigned, fully scored but not yet submitted review by ``commission``."""
    proposal = w.proposal(status=ProposalStatus.IN_REVIEW)
    review = w.review(proposal, "commission", {"relevance": "4", "feasibility": "3"}, submit=False)
    return review.id  # type: ignore[return-value]


def listed_organisation(w: World) -> int:
    """Association A, in the public directory."""
    save_entry(
        w.session,
        actor=actor_of(w.applicant_a),
        organisation=w.org_a,
        data=DirectoryEntryIn(listed=True),
    )
    w.session.commit()
    return w.org_a.id  # type: ignore[return-value]


def untouched_review(w: World) -> int:
    """An assignment ``commission`` has not started."""
    proposal = w.proposal(status=ProposalStatus.IN_REVIEW)
    review = assign_reviewer(
        w.session, actor=actor_of(w.secretariat), proposal=proposal, reviewer_id=w.commission.id
    )
    w.session.commit()
    return review.id  # type: ignore[return-value]


def submitted_review(w: World) -> int:
    proposal = w.proposal(status=ProposalStatus.IN_REVIEW)
    return w.review(proposal, "commission", {"relevance": "4", "feasibility": "3"}).id  # type: ignore[return-value]


def conditional(w: World) -> dict[str, int]:
    proposal = w.decided("approved_with_conditions")
    decision = w.session.exec(select(Decision).where(Decision.proposal_id == proposal.id)).one()
    return {"proposal_id": proposal.id, "condition_id": decision.conditions[0].id}  # type: ignore[dict-item]


def project_of_a(w: World) -> int:
    return w.decided().project.id  # type: ignore[union-attr,return-value]


def draft_call(w: World) -> int:
    return make_call(w.session, actor_of(w.secretariat), open_it=False).id  # type: ignore[return-value]


EVERYONE = dict.fromkeys(CALLERS[1:], 200)
ROWS = [
    Row("health", "GET", "/api/v1/health", {}, default=200, public=True),
    Row("ready", "GET", "/api/v1/ready", {}, default=200, public=True),
    Row("public register", "GET", "/api/v1/public/projects", {}, default=200, public=True),
    Row("public directory", "GET", "/api/v1/public/organisations", {}, default=200, public=True),
    Row(
        "public directory entry",
        "GET",
        "/api/v1/public/organisations/{organisation_id}",
        {},
        default=200,
        public=True,
        ids=lambda w: {"organisation_id": listed_organisation(w)},
    ),
    Row(
        "public project",
        "GET",
        "/api/v1/public/projects/{project_id}",
        {},
        default=200,
        public=True,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row("public awards", "GET", "/api/v1/public/awards", {}, default=200, public=True),
    Row(
        "public laureate",
        "GET",
        "/api/v1/public/awards/{laureate_id}",
        {},
        default=200,
        public=True,
        ids=lambda w: {"laureate_id": service_laureate(w)},
    ),
    Row(
        "nomination behind a nominee's link",
        "GET",
        "/api/v1/nominee-answer",
        {},
        default=200,
        public=True,
        ids=lambda w: {"_": service_round(w)[1]},
        query=f"?token={NOMINEE_TOKEN}",
    ),
    Row(
        "nominee's answer",
        "POST",
        "/api/v1/nominee-answer",
        {},
        default=200,
        public=True,
        body=lambda w: (service_round(w), {"token": NOMINEE_TOKEN, "response": "accepted"})[1],
    ),
    Row(
        "funding statistics", "GET", "/api/v1/stats/funding", {"secretariat": 200, "authority": 200}
    ),
    Row("iati export", "GET", "/api/v1/exports/iati", {"secretariat": 200, "authority": 200}),
    Row(
        "monitoring statistics",
        "GET",
        "/api/v1/stats/monitoring",
        {"secretariat": 200, "authority": 200},
    ),
    Row("me", "GET", "/api/v1/me", EVERYONE),
    Row("sign out", "POST", "/api/v1/auth/logout", dict.fromkeys(CALLERS[1:], 204)),
    Row("my sessions", "GET", "/api/v1/me/sessions", EVERYONE),
    Row("sign out everywhere", "DELETE", "/api/v1/me/sessions", EVERYONE),
    Row(
        "end one of my sessions",
        "DELETE",
        "/api/v1/me/sessions/{session_id}",
        {"commission": 204},
        default=404,  # another's session: not theirs to see
        ids=lambda w: {"session_id": commission_session(w)},
    ),
    Row("end a user's sessions", "DELETE", "/api/v1/users/{user_id}/sessions", {"admin": 200}),
    Row("exchange rates", "GET", "/api/v1/exchange-rates", EVERYONE),
    Row(
        "convert an amount",
        "GET",
        "/api/v1/exchange-rates/conversion",
        EVERYONE,
        query=f"?amount=100.00&from=EUR&to=CHF&on={utcnow().date().isoformat()}",
        ids=lambda w: {"rate_id": exchange_rate(w)},
    ),
    Row(
        "record an exchange rate",
        "POST",
        "/api/v1/exchange-rates",
        {"secretariat": 201},
        body=lambda w: {
            "valid_from": "2026-11-01",
            "base": "USD",
            "quote": "CHF",
            "rate": "0.8040",
            "source": "AFC",
        },
    ),
    Row(
        "import exchange rates",
        "POST",
        "/api/v1/exchange-rates/import",
        {"secretariat": 200},
        files=lambda w: {
            "file": (
                "rates.csv",
                b"valid_from,base,quote,rate,source\n2026-11-01,USD,CHF,0.8,AFC\n",
            )
        },
    ),
    Row(
        "delete an exchange rate",
        "DELETE",
        "/api/v1/exchange-rates/{rate_id}",
        {"secretariat": 204},
        ids=lambda w: {"rate_id": exchange_rate(w)},
    ),
    Row("my second factor", "GET", "/api/v1/me/two-factor", EVERYONE),
    Row(
        "set up a second factor",
        "POST",
        "/api/v1/me/two-factor",
        dict.fromkeys(CALLERS[1:], 201),
    ),
    # Allowed to everyone signed in; each finds nothing to confirm, renew or turn off.
    *(
        Row(
            name,
            "POST",
            f"/api/v1/me/two-factor/{action}",
            dict.fromkeys(CALLERS[1:], 409),
            body=lambda w: {"code": "123456"},
        )
        for name, action in (
            ("confirm a second factor", "confirm"),
            ("new recovery codes", "recovery-codes"),
            ("turn a second factor off", "off"),
        )
    ),
    Row(
        "reset a user's second factor",
        "DELETE",
        "/api/v1/users/{user_id}/two-factor",
        {"admin": 204},
    ),
    Row(
        "create user",
        "POST",
        "/api/v1/users",
        {"admin": 201},
        body=lambda w: {
            "email": "new@fedevaco.example",
            "password": "a-long-password",
            "roles": ["commission"],
        },
    ),
    Row("list users", "GET", "/api/v1/users", {"admin": 200}),
    Row("get user", "GET", "/api/v1/users/{user_id}", {"admin": 200}),
    Row(
        "update user",
        "PATCH",
        "/api/v1/users/{user_id}",
        {"admin": 200},
        body=lambda w: {"full_name": "Jean-Marc Favre"},
    ),
    Row(
        "create organisation",
        "POST",
        "/api/v1/organisations",
        {"secretariat": 201},
        body=lambda w: {"name": "Colombia Vive Vaud", "membership_status": "applicant"},
    ),
    Row("list organisations", "GET", "/api/v1/organisations", EVERYONE),
    Row(
        "get organisation",
        "GET",
        "/api/v1/organisations/{organisation_id}",
        STAFF | {"applicant_a": 200, "applicant_b": 404},
    ),
    Row(
        "read directory entry",
        "GET",
        "/api/v1/organisations/{organisation_id}/directory-entry",
        {"admin": 200, "applicant_a": 200, "applicant_b": 404},
    ),
    Row(
        "save directory entry",
        "PUT",
        "/api/v1/organisations/{organisation_id}/directory-entry",
        {"admin": 200, "applicant_a": 200, "applicant_b": 404},
        body=lambda w: {"listed": True, "presentation": "Puits et écoles au Maroc."},
    ),
    Row(
        "update organisation",
        "PATCH",
        "/api/v1/organisations/{organisation_id}",
        {"secretariat": 200},
        body=lambda w: {"membership_status": "suspended"},
    ),
    Row(
        "create partner",
        "POST",
        "/api/v1/partners",
        {"secretariat": 201, "applicant_a": 201, "applicant_b": 201},
        body=lambda w: {"name": "Qendra Rinore", "country": "XK", "locality": "Drenas"},
    ),
    Row("list partners", "GET", "/api/v1/partners", EVERYONE),
    Row(
        "track record",
        "GET",
        "/api/v1/organisations/{organisation_id}/track-record",
        {"secretariat": 200, "commission": 200, "applicant_a": 200, "applicant_b": 404},
    ),
    Row(
        "get partner",
        "GET",
        "/api/v1/partners/{partner_id}",
        STAFF | {"applicant_a": 200, "applicant_b": 404},
    ),
    Row(
        "update partner",
        "PATCH",
        "/api/v1/partners/{partner_id}",
        {"secretariat": 200, "applicant_a": 200, "applicant_b": 404},
        body=lambda w: {"locality": "Ammeln"},
    ),
    Row(
        "create funder",
        "POST",
        "/api/v1/funders",
        {"secretariat": 201},
        body=lambda w: {"name": "Commune de Morges", "level": "communal"},
    ),
    Row("list funders", "GET", "/api/v1/funders", EVERYONE),
    Row("get funder", "GET", "/api/v1/funders/{funder_id}", EVERYONE),
    Row(
        "create envelope",
        "POST",
        "/api/v1/funders/{funder_id}/envelopes",
        {"secretariat": 201},
        body=lambda w: {"year": 2027, "amount": "250000.00"},
    ),
    Row(
        "list envelopes",
        "GET",
        "/api/v1/funders/{funder_id}/envelopes",
        {"secretariat": 200, "authority": 200},
    ),
    Row(
        "get envelope",
        "GET",
        "/api/v1/envelopes/{envelope_id}",
        {"secretariat": 200, "authority": 200},
    ),
    Row(
        "update envelope",
        "PATCH",
        "/api/v1/envelopes/{envelope_id}",
        {"secretariat": 200},
        body=lambda w: {"amount": "600000.00"},
    ),
    Row(
        "create call", "POST", "/api/v1/calls", {"secretariat": 201}, body=lambda w: call_payload()
    ),
    Row("list calls", "GET", "/api/v1/calls", EVERYONE),
    Row("get open call", "GET", "/api/v1/calls/{call_id}", EVERYONE),
    Row(
        "get draft call",
        "GET",
        "/api/v1/calls/{call_id}",
        {"secretariat": 200},
        default=404,
        ids=lambda w: {"call_id": draft_call(w)},
    ),
    Row(
        "update draft call",
        "PATCH",
        "/api/v1/calls/{call_id}",
        {"secretariat": 200},
        body=lambda w: {"title": "Cofinancement 2028"},
        ids=lambda w: {"call_id": draft_call(w)},
    ),
    Row("call transitions", "GET", "/api/v1/calls/{call_id}/transitions", EVERYONE),
    Row(
        "close call",
        "POST",
        "/api/v1/calls/{call_id}/transitions",
        {"secretariat": 200},
        body=lambda w: {"action": "close"},
    ),
    Row("call events", "GET", "/api/v1/calls/{call_id}/events", EVERYONE),
    Row(
        "create proposal",
        "POST",
        "/api/v1/proposals",
        {"applicant_a": 201, "applicant_b": 201},
        body=lambda w: proposal_payload(w.call, None),
    ),
    Row("list proposals", "GET", "/api/v1/proposals", EVERYONE),
    Row(
        "get draft",
        "GET",
        "/api/v1/proposals/{proposal_id}",
        {"applicant_a": 200},
        default=404,
        ids=lambda w: {"proposal_id": draft(w)},
    ),
    Row(
        "get submitted",
        "GET",
        "/api/v1/proposals/{proposal_id}",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "edit draft",
        "PATCH",
        "/api/v1/proposals/{proposal_id}",
        {"applicant_a": 200},
        default=404,
        body=lambda w: {"title": "Eau potable pour Ammeln"},
        ids=lambda w: {"proposal_id": draft(w)},
    ),
    Row(
        "edit submitted",
        "PATCH",
        "/api/v1/proposals/{proposal_id}",
        {"applicant_a": 409, "secretariat": 403},
        default=404,
        body=lambda w: {"title": "Eau potable pour Ammeln"},
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "eligibility",
        "GET",
        "/api/v1/proposals/{proposal_id}/eligibility",
        {"applicant_a": 200},
        default=404,
        ids=lambda w: {"proposal_id": draft(w)},
    ),
    Row(
        "ask for advice",
        "POST",
        "/api/v1/proposals/{proposal_id}/advice-request",
        {"applicant_a": 200},
        default=404,
        ids=lambda w: {"proposal_id": draft(w)},
    ),
    Row(
        "comments",
        "GET",
        "/api/v1/proposals/{proposal_id}/comments",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"proposal_id": shared(w)},
    ),
    Row(
        "comment",
        "POST",
        "/api/v1/proposals/{proposal_id}/comments",
        {"applicant_a": 201, "secretariat": 201},
        default=404,
        body=lambda w: {"section": "budget", "body": "Une question sur le budget."},
        ids=lambda w: {"proposal_id": shared(w)},
    ),
    Row(
        "resolve comment",
        "PATCH",
        "/api/v1/proposals/{proposal_id}/comments/{comment_id}",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        body=lambda w: {"resolved": True},
        ids=commented,
    ),
    Row(
        "similar requests",
        "GET",
        "/api/v1/proposals/{proposal_id}/similar",
        {"secretariat": 200, "commission": 200, "applicant_a": 403},
        default=404,
        ids=lambda w: {"proposal_id": reviewed(w)},
    ),
    Row(
        "similarity verdict",
        "PUT",
        "/api/v1/proposals/{proposal_id}/similar/{other_proposal_id}",
        {"secretariat": 200, "commission": 403, "applicant_a": 403},
        default=404,
        body=lambda w: {"verdict": "different_project", "comment": "Deux projets distincts."},
        ids=lambda w: {"proposal_id": reviewed(w), "other_proposal_id": submitted(w)},
    ),
    Row(
        "proposal transitions",
        "GET",
        "/api/v1/proposals/{proposal_id}/transitions",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "submit",
        "POST",
        "/api/v1/proposals/{proposal_id}/transitions",
        {"applicant_a": 200},
        default=404,
        body=lambda w: {"action": "submit"},
        ids=lambda w: {"proposal_id": draft(w)},
    ),
    Row(
        "accept for review",
        "POST",
        "/api/v1/proposals/{proposal_id}/transitions",
        {"secretariat": 200, "applicant_a": 403},
        default=404,
        body=lambda w: {"action": "accept_for_review"},
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "proposal events",
        "GET",
        "/api/v1/proposals/{proposal_id}/events",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
]
STAFF_READERS = {"secretariat": 200, "commission": 200}
ROWS += [
    Row(
        "assign reviewer",
        "POST",
        "/api/v1/proposals/{proposal_id}/reviews",
        {"secretariat": 201},
        body=lambda w: {"reviewer_id": w.commission.id},
        ids=lambda w: {"proposal_id": w.proposal(status=ProposalStatus.IN_REVIEW).id},
    ),
    Row(
        "proposal reviews",
        "GET",
        "/api/v1/proposals/{proposal_id}/reviews",
        {"secretariat": 200, "commission": 200, "applicant_a": 403},
        default=404,
        ids=lambda w: {"proposal_id": reviewed(w)},
    ),
    Row(
        "assign for call",
        "POST",
        "/api/v1/calls/{call_id}/review-assignments",
        {"secretariat": 200},
        body=lambda w: {"reviewers_per_proposal": 2},
    ),
    Row("list reviews", "GET", "/api/v1/reviews", STAFF_READERS),
    Row(
        "get review",
        "GET",
        "/api/v1/reviews/{review_id}",
        STAFF_READERS,
        default=404,
        ids=lambda w: {"review_id": submitted_review(w)},
    ),
    Row(
        "withdraw assignment",
        "DELETE",
        "/api/v1/reviews/{review_id}",
        {"secretariat": 204},
        ids=lambda w: {"review_id": untouched_review(w)},
    ),
    Row(
        "save review",
        "PUT",
        "/api/v1/reviews/{review_id}",
        {"commission": 200, "secretariat": 403},
        default=404,
        body=lambda w: {"scores": [{"criterion": "relevance", "score": "3.5"}]},
        ids=lambda w: {"review_id": open_review(w)},
    ),
    Row(
        "review transitions",
        "GET",
        "/api/v1/reviews/{review_id}/transitions",
        STAFF_READERS,
        default=404,
        ids=lambda w: {"review_id": open_review(w)},
    ),
    Row(
        "submit review",
        "POST",
        "/api/v1/reviews/{review_id}/transitions",
        {"commission": 200, "secretariat": 403},
        default=404,
        body=lambda w: {"action": "submit"},
        ids=lambda w: {"review_id": open_review(w)},
    ),
    Row(
        "review events",
        "GET",
        "/api/v1/reviews/{review_id}/events",
        STAFF_READERS,
        default=404,
        ids=lambda w: {"review_id": submitted_review(w)},
    ),
    Row("ranking", "GET", "/api/v1/calls/{call_id}/ranking", STAFF_READERS),
    Row("calibration", "GET", "/api/v1/calls/{call_id}/calibration", {"secretariat": 200}),
    Row("commission members", "GET", "/api/v1/commission-members", {"secretariat": 200}),
    Row(
        "commission profile",
        "PUT",
        "/api/v1/commission-members/{user_id}",
        {"secretariat": 200},
        body=lambda w: {"sectors": ["water"]},
    ),
    Row(
        "decision",
        "GET",
        "/api/v1/proposals/{proposal_id}/decision",
        {"secretariat": 200, "commission": 200, "applicant_a": 200},
        default=404,
        ids=lambda w: {"proposal_id": w.decided().id},
    ),
    Row(
        "tick condition",
        "PATCH",
        "/api/v1/proposals/{proposal_id}/decision/conditions/{condition_id}",
        {"secretariat": 200},
        body=lambda w: {"fulfilled": True},
        ids=conditional,
    ),
    Row(
        "create session",
        "POST",
        "/api/v1/sessions",
        {"secretariat": 201},
        body=lambda w: {"held_on": "2027-04-15", "title": "Commission technique"},
    ),
    Row("list sessions", "GET", "/api/v1/sessions", STAFF_READERS),
    Row(
        "get session",
        "GET",
        "/api/v1/sessions/{session_id}",
        STAFF_READERS,
        ids=lambda w: {"session_id": w.meeting().id},
    ),
    Row(
        "minutes",
        "GET",
        "/api/v1/sessions/{session_id}/minutes",
        STAFF_READERS,
        ids=lambda w: {"session_id": w.meeting().id},
    ),
    Row("list projects", "GET", "/api/v1/projects", EVERYONE),
    Row(
        "get project",
        "GET",
        "/api/v1/projects/{project_id}",
        {"secretariat": 200, "applicant_a": 200},
        default=404,
        ids=lambda w: {"project_id": project_of_a(w)},
    ),
]


def proposed_commitment(w: World) -> int:
    project = w.project()
    return w.commit(project, w.envelope, "20000.00", confirm=False).id  # type: ignore[return-value]


def committed_project(w: World) -> int:
    project = w.project()
    w.commit(project, w.envelope, "20000.00", confirm=False)
    return project.id  # type: ignore[return-value]


def signed_project(w: World) -> int:
    return w.signed().id  # type: ignore[return-value]


def due_tranche(w: World) -> dict[str, int]:
    from fundflow.cofinancing.models import Tranche

    project = w.signed()
    tranche = w.session.exec(select(Tranche).where(Tranche.project_id == project.id)).first()
    return {"project_id": project.id, "tranche_id": tranche.id}  # type: ignore[dict-item,union-attr]


FUNDING_READERS = {"secretariat": 200, "applicant_a": 200, "authority": 200}
ROWS += [
    Row(
        "propose commitment",
        "POST",
        "/api/v1/projects/{project_id}/commitments",
        {"secretariat": 201},
        body=lambda w: {"envelope_id": w.envelope.id, "amount": "1000.00"},
        ids=lambda w: {"project_id": project_of_a(w)},
    ),
    Row(
        "list commitments",
        "GET",
        "/api/v1/projects/{project_id}/commitments",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": committed_project(w)},
    ),
    Row(
        "get commitment",
        "GET",
        "/api/v1/commitments/{commitment_id}",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"commitment_id": proposed_commitment(w)},
    ),
    Row(
        "commitment transitions",
        "GET",
        "/api/v1/commitments/{commitment_id}/transitions",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"commitment_id": proposed_commitment(w)},
    ),
    Row(
        "confirm commitment",
        "POST",
        "/api/v1/commitments/{commitment_id}/transitions",
        {"secretariat": 200, "authority": 200, "applicant_a": 403},
        default=404,
        body=lambda w: {"action": "confirm"},
        ids=lambda w: {"commitment_id": proposed_commitment(w)},
    ),
    Row(
        "commitment events",
        "GET",
        "/api/v1/commitments/{commitment_id}/events",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"commitment_id": proposed_commitment(w)},
    ),
    Row(
        "tranches",
        "GET",
        "/api/v1/projects/{project_id}/tranches",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "pay tranche",
        "POST",
        "/api/v1/projects/{project_id}/disbursements",
        {"secretariat": 201},
        body=lambda w: {
            "tranche_id": w.due["tranche_id"],
            "paid_on": "2027-06-01",  # type: ignore[attr-defined]
            "reference": "VIR-1",
        },
        ids=lambda w: setattr(w, "due", due_tranche(w)) or w.due,
    ),  # type: ignore[attr-defined,func-returns-value]
    Row(
        "disbursements",
        "GET",
        "/api/v1/projects/{project_id}/disbursements",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "ledger",
        "GET",
        "/api/v1/projects/{project_id}/ledger",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "report schedule",
        "GET",
        "/api/v1/projects/{project_id}/reports",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "project transitions",
        "GET",
        "/api/v1/projects/{project_id}/transitions",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "suspend project",
        "POST",
        "/api/v1/projects/{project_id}/transitions",
        {"secretariat": 200, "applicant_a": 403, "authority": 403},
        default=404,
        body=lambda w: {"action": "suspend", "comment": "Rapport en retard"},
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "allocation plan",
        "POST",
        "/api/v1/calls/{call_id}/allocation",
        {"secretariat": 200},
        ids=lambda w: {"call_id": w.project().call_id},
    ),
    Row(
        "apply allocation",
        "POST",
        "/api/v1/calls/{call_id}/allocation/apply",
        {"secretariat": 200},
        ids=lambda w: {"call_id": w.project().call_id},
    ),
    Row(
        "project events",
        "GET",
        "/api/v1/projects/{project_id}/events",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
]
PDF_FILE = {"file": ("budget.pdf", b"%PDF-1.4\n%%EOF\n")}


def report_of_signed(w: World) -> int:
    return w.complete_report(w.signed()).id  # type: ignore[return-value]


def document_of_submitted(w: World) -> int:
    from fundflow.accounts.service import actor_of
    from fundflow.monitoring.documents import attach

    proposal = w.proposal(status=ProposalStatus.SUBMITTED)
    document = attach(
        w.session,
        actor=actor_of(w.applicant_a),
        content=PDF_FILE["file"][1],
        filename="budget.pdf",
        proposal=proposal,
    )
    w.session.commit()
    return document.id  # type: ignore[return-value]


ROWS += [
    Row(
        "get report",
        "GET",
        "/api/v1/reports/{report_id}",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "write report",
        "PUT",
        "/api/v1/reports/{report_id}",
        {"applicant_a": 200, "secretariat": 403, "authority": 403},
        default=404,
        body=lambda w: {"narrative": "Avancement"},
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "report history",
        "GET",
        "/api/v1/reports/{report_id}/history",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "report transitions",
        "GET",
        "/api/v1/reports/{report_id}/transitions",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "submit report",
        "POST",
        "/api/v1/reports/{report_id}/transitions",
        {"applicant_a": 200, "secretariat": 403, "authority": 403},
        default=404,
        body=lambda w: {"action": "submit"},
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "report events",
        "GET",
        "/api/v1/reports/{report_id}/events",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "indicators",
        "GET",
        "/api/v1/projects/{project_id}/indicators",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": signed_project(w)},
    ),
    Row(
        "refund of project",
        "GET",
        "/api/v1/projects/{project_id}/refund",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"project_id": w.refund().project_id},
    ),
    Row(
        "refund transitions",
        "GET",
        "/api/v1/refunds/{refund_id}/transitions",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"refund_id": w.refund().id},
    ),
    Row(
        "refund received",
        "POST",
        "/api/v1/refunds/{refund_id}/transitions",
        {"secretariat": 200, "applicant_a": 403, "authority": 403},
        default=404,
        body=lambda w: {"action": "refund_received"},
        ids=lambda w: {"refund_id": w.refund().id},
    ),
    Row(
        "refund events",
        "GET",
        "/api/v1/refunds/{refund_id}/events",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"refund_id": w.refund().id},
    ),
    Row(
        "attach to proposal",
        "POST",
        "/api/v1/proposals/{proposal_id}/documents",
        {"applicant_a": 201, "secretariat": 201},
        default=404,
        files=lambda w: PDF_FILE,
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "proposal documents",
        "GET",
        "/api/v1/proposals/{proposal_id}/documents",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"proposal_id": submitted(w)},
    ),
    Row(
        "attach to report",
        "POST",
        "/api/v1/reports/{report_id}/documents",
        {"applicant_a": 201, "secretariat": 201, "authority": 403},
        default=404,
        files=lambda w: PDF_FILE,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "report documents",
        "GET",
        "/api/v1/reports/{report_id}/documents",
        FUNDING_READERS,
        default=404,
        ids=lambda w: {"report_id": report_of_signed(w)},
    ),
    Row(
        "download",
        "GET",
        "/api/v1/documents/{document_id}/content",
        {"applicant_a": 200, "secretariat": 200},
        default=404,
        ids=lambda w: {"document_id": document_of_submitted(w)},
    ),
]


@contextmanager
def rolled_back(session: Session) -> Iterator[None]:
    """Whatever happens inside is undone, so that every caller meets the same world."""
    session.commit()  # nothing of the session's own may be left open around the savepoint
    connection = session.get_bind()
    assert isinstance(connection, Connection)
    known = set(session.identity_map.keys())
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        session.rollback()
        savepoint.rollback()
        for key in [k for k in session.identity_map.keys() if k not in known]:
            session.expunge(session.identity_map[key])
        session.expire_all()


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_endpoint_answers_each_role(client: TestClient, world: World, session: Session, row: Row):
    """One world per row; each caller's request is undone before the next one's."""
    url = row.url(world)
    body = row.body(world) if row.body else None
    headers = {c: world.headers(c) if c != "anonymous" else {} for c in CALLERS}
    answers: dict[str, int] = {}
    expected: dict[str, int] = {}
    for caller in CALLERS:
        with rolled_back(session):
            if row.files is not None:
                files = row.files(world)
                response = client.request(row.method, url, files=files, headers=headers[caller])
            else:
                response = client.request(row.method, url, json=body, headers=headers[caller])
        expected[caller] = (
            401
            if caller == "anonymous" and not row.public
            else row.expected.get(caller, row.default)
        )
        answers[caller] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json", caller
    assert answers == expected


def test_every_route_has_a_row(app):  # type: ignore[no-untyped-def]
    """A new endpoint without an authorization row fails here."""
    covered = {(row.method, row.path) for row in ROWS}
    routes = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if path != "/api/v1/auth/token"
    }
    assert routes <= covered, sorted(routes - covered)
