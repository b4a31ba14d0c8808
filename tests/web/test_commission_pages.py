"""The secretariat runs the commission's work on the pages: the assignment board (automatic
and by hand, loads and conflicts), the ranking with its budget line and calibration, a
session with its agenda, decisions entered during it, and its minutes printed and as CSV;
the allocation of a call's approved projects; a funder's staff confirm its commitments."""

import csv
import io

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from fundflow.cofinancing.models import Commitment, CommitmentStatus
from fundflow.core.roles import Role
from fundflow.decisions.models import CommissionSession, Decision
from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.reviews.models import Review
from tests.builders import World, make_user
from tests.web.pages import csrf_token, send_form, sign_in

SECRETARIAT = "secretariat@fedevaco.example"
EXPERT = "expert@fedevaco.example"


def _reviews_of(session: Session, proposal: Proposal) -> list[Review]:
    session.expire_all()
    return list(session.exec(select(Review).where(Review.proposal_id == proposal.id)).all())


def test_the_automatic_assignment_runs_from_the_board(
    browser_client: TestClient, world: World, session: Session
):
    first = world.proposal(status=ProposalStatus.IN_REVIEW, title="Puits de Tafraout")
    second = world.proposal(owner="b", status=ProposalStatus.IN_REVIEW, title="Moulin de Podor")
    tied = make_user(session, "membre@tafraout.example", Role.COMMISSION, organisation=world.org_a)
    session.commit()
    sign_in(browser_client, SECRETARIAT)
    board = f"/appels/{world.call.id}/attributions"
    shown = browser_client.get(board).text
    assert "Demandes en évaluation (2)" in shown and "Pas encore d’évaluateur" in shown
    refused = send_form(browser_client, board, board, {"reviewers_per_proposal": "0"})
    assert refused.status_code == 400 and 'href="#reviewers_per_proposal"' in refused.text
    assert _reviews_of(session, first) == []
    ran = send_form(browser_client, board, board, {"reviewers_per_proposal": "2"})
    assert ran.status_code == 303 and "attribuees=4" in ran.headers["location"]
    # The member from the applicant association never reviews its proposal.
    assert tied.id not in {r.reviewer_id for r in _reviews_of(session, first)}
    assert len(_reviews_of(session, second)) == 2
    after = browser_client.get(ran.headers["location"]).text
    assert "4 évaluation(s) attribuée(s)" in after
    # The tied member's conflict is shown beside their load.
    row = after[after.index(f'<td data-label="Membre">{tied.full_name}</td>') :]
    assert "Puits de Tafraout" in row[: row.index("</tr>")]


def test_a_member_is_assigned_by_hand_and_a_second_assignment_is_refused(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    sign_in(browser_client, SECRETARIAT)
    board = f"/appels/{world.call.id}/attributions"
    fields = {"proposal_id": str(proposal.id), "reviewer_id": str(world.commission.id)}
    added = send_form(browser_client, board, f"{board}/main", fields)
    assert added.status_code == 303
    assert [r.reviewer_id for r in _reviews_of(session, proposal)] == [world.commission.id]
    again = send_form(browser_client, board, f"{board}/main", fields)
    assert again.status_code == 400 and f'href="#reviewer-{proposal.id}"' in again.text
    nobody = send_form(browser_client, board, f"{board}/main", fields | {"reviewer_id": ""})
    assert nobody.status_code == 400 and "Choisissez un membre" in nobody.text
    assert len(_reviews_of(session, proposal)) == 1


def test_the_ranking_shows_scores_the_budget_line_and_calibration(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.reviewed(title="Puits de Tafraout")
    sign_in(browser_client, SECRETARIAT)
    page = browser_client.get(f"/appels/{world.call.id}/classement")
    assert page.status_code == 200
    assert "Puits de Tafraout" in page.text and "La ligne budgétaire" in page.text
    assert "Calibrage" in page.text and world.commission.full_name in page.text
    assert "Finançable" in page.text
    download = browser_client.get(f"/appels/{world.call.id}/classement.csv")
    assert download.status_code == 200 and "text/csv" in download.headers["content-type"]
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [row["proposal_id"] for row in rows] == [str(proposal.id)]


def test_the_ranking_waits_for_a_members_own_reviews_and_is_never_an_associations(
    browser_client: TestClient, world: World, session: Session
):
    world.reviewed()
    pending = world.proposal(owner="b", status=ProposalStatus.IN_REVIEW)
    world.review(pending, "commission", {"relevance": "3", "feasibility": "3"}, submit=False)
    sign_in(browser_client, EXPERT)
    assert browser_client.get(f"/appels/{world.call.id}/classement").status_code == 403
    browser_client.cookies.clear()
    sign_in(browser_client, "aminata@fedevaco.example")
    member_view = browser_client.get(f"/appels/{world.call.id}/classement")
    assert member_view.status_code == 200 and "Calibrage" not in member_view.text
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    assert browser_client.get(f"/appels/{world.call.id}/classement").status_code == 403
    assert browser_client.get(f"/appels/{world.call.id}/classement.csv").status_code == 403


def _new_session(client: TestClient, world: World, **fields: str):  # type: ignore[no-untyped-def]
    form = {
        "title": "Commission technique d’avril",
        "held_on": "2027-04-15",
        "call_id": str(world.call.id),
        "location": "Lausanne",
    } | fields
    page = client.get("/seances")
    assert page.status_code == 200
    data = {"csrftoken": csrf_token(page.text), **form}
    return client.post("/seances", data=data | {"members_present": [str(world.commission.id)]})


def test_a_session_is_recorded_and_its_proposals_decided_during_it(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.reviewed(title="Puits de Tafraout")
    sign_in(browser_client, SECRETARIAT)
    untitled = _new_session(browser_client, world, title="")
    assert untitled.status_code == 400 and 'href="#title"' in untitled.text
    assert session.exec(select(func.count()).select_from(CommissionSession)).one() == 0
    created = _new_session(browser_client, world)
    assert created.status_code == 303
    page = created.headers["location"]
    agenda = browser_client.get(page).text
    assert "Ordre du jour : demandes à décider (1)" in agenda and "Puits de Tafraout" in agenda
    decide = f"{page}/decisions"
    fields = {
        "proposal_id": str(proposal.id),
        "action": "decide",
        "version": str(proposal.version),
        "outcome": "approved",
        "granted_amount": "30000",
        "rationale": "",
    }
    silent = send_form(browser_client, page, decide, fields)
    assert silent.status_code == 400 and f'href="#p{proposal.id}-decide-rationale"' in silent.text
    assert session.exec(select(func.count()).select_from(Decision)).one() == 0
    decided = send_form(
        browser_client, page, decide, fields | {"rationale": "Projet solide, partenaire fiable."}
    )
    assert decided.status_code == 303
    session.expire_all()
    decision = session.exec(select(Decision).where(Decision.proposal_id == proposal.id)).one()
    assert str(decision.session_id) == page.rsplit("/", 1)[-1]
    assert session.get(Proposal, proposal.id).status == ProposalStatus.APPROVED  # type: ignore[union-attr]
    after = browser_client.get(page).text
    assert "Décisions prises (1)" in after and "Aucune demande n’attend" in after
    minutes = browser_client.get(f"{page}/proces-verbal").text
    assert "Procès-verbal de Commission technique d’avril" in minutes
    assert "Projet solide, partenaire fiable." in minutes and world.commission.full_name in minutes
    exported = browser_client.get(f"{page}/proces-verbal.csv")
    assert exported.status_code == 200 and "Projet solide, partenaire fiable." in exported.text


def test_sessions_are_the_secretariats_to_run(
    browser_client: TestClient, world: World, session: Session
):
    meeting = world.meeting()
    for email in (EXPERT, "youssef@tafraout.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/seances").status_code == 403
        assert browser_client.get(f"/seances/{meeting.id}").status_code == 403
    # The commission reads the minutes; an association does not.
    browser_client.cookies.clear()
    sign_in(browser_client, EXPERT)
    assert browser_client.get(f"/seances/{meeting.id}/proces-verbal").status_code == 200
    browser_client.cookies.clear()
    sign_in(browser_client, "youssef@tafraout.example")
    assert browser_client.get(f"/seances/{meeting.id}/proces-verbal").status_code == 403
    assert browser_client.get(f"/seances/{meeting.id}/proces-verbal.csv").status_code == 403


def test_the_allocation_is_proposed_then_the_funder_confirms(
    browser_client: TestClient, world: World, session: Session
):
    project = world.project(granted="30000.00")
    sign_in(browser_client, SECRETARIAT)
    page = f"/appels/{world.call.id}/cofinancement"
    plan = browser_client.get(page).text
    assert project.title in plan and "Direction du développement et de la coopération" in plan
    applied = send_form(browser_client, page, page, {})
    assert applied.status_code == 303 and "proposes=1" in applied.headers["location"]
    session.expire_all()
    commitment = session.exec(select(Commitment).where(Commitment.project_id == project.id)).one()
    assert commitment.status == CommitmentStatus.PROPOSED
    assert "Rien à répartir" in browser_client.get(page).text
    browser_client.cookies.clear()
    sign_in(browser_client, "beat@ddc.example")
    assert browser_client.get(page).status_code == 403
    listed = browser_client.get("/engagements").text
    assert project.title in listed and "Confirmer l’engagement" in listed
    confirmed = send_form(
        browser_client,
        "/engagements",
        f"/actions/engagements/{commitment.id}",
        {"action": "confirm", "version": str(commitment.version), "retour": "/engagements"},
    )
    assert confirmed.status_code == 303 and confirmed.headers["location"].startswith("/engagements")
    session.expire_all()
    assert session.get(Commitment, commitment.id).status == CommitmentStatus.CONFIRMED  # type: ignore[union-attr]


def test_commitments_are_not_an_associations_page(
    browser_client: TestClient, world: World, session: Session
):
    sign_in(browser_client, "youssef@tafraout.example")
    assert browser_client.get("/engagements").status_code == 403
    assert browser_client.get(f"/appels/{world.call.id}/attributions").status_code == 403
    assert browser_client.get(f"/appels/{world.call.id}/cofinancement").status_code == 403
    assert (
        session.exec(select(func.count()).select_from(Review).where(col(Review.id) > 0)).one() == 0
    )


def test_an_assignment_is_changed_on_the_board(
    browser_client: TestClient, world: World, session: Session
):
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)
    sign_in(browser_client, SECRETARIAT)
    board = f"/appels/{world.call.id}/attributions"
    fields = {"proposal_id": str(proposal.id), "reviewer_id": str(world.commission.id)}
    assert send_form(browser_client, board, f"{board}/main", fields).status_code == 303
    review = _reviews_of(session, proposal)[0]
    assert "Retirer" in browser_client.get(board).text
    withdrawn = send_form(browser_client, board, f"{board}/retrait", {"review_id": str(review.id)})
    assert withdrawn.status_code == 303
    assert _reviews_of(session, proposal) == []
    other = fields | {"reviewer_id": str(world.commission_b.id)}
    assert send_form(browser_client, board, f"{board}/main", other).status_code == 303
    # Once started, an assignment stays.
    started = world.review(proposal, "commission", {"relevance": "3"}, submit=False)
    kept = send_form(browser_client, board, f"{board}/retrait", {"review_id": str(started.id)})
    assert kept.status_code == 400 and "a commencé cette évaluation" in kept.text
    assert len(_reviews_of(session, proposal)) == 2
