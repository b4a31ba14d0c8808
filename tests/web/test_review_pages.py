"""Commission members on the pages: their reviews, a review scored beside the proposal,
saved as a draft, submitted, the others' reviews shown only after; a conflict of interest
declared in one click; nobody else reaches a review."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from fundflow.accounts.service import actor_of
from fundflow.proposals.models import ProposalStatus
from fundflow.reviews.models import Review, ReviewStatus
from fundflow.reviews.service import assign_reviewer
from tests.builders import World
from tests.web.pages import csrf_token, send_form, sign_in

EXPERT = "expert@fedevaco.example"


def assigned(world: World, session: Session) -> Review:
    """A proposal in review: Aminata has submitted hers, the expert's is assigned."""
    proposal = world.proposal(status=ProposalStatus.IN_REVIEW)  # type: ignore[arg-type]
    world.review(proposal, "commission_b", {"relevance": "3", "feasibility": "2.5"})
    review = assign_reviewer(
        session,
        actor=actor_of(world.secretariat),
        proposal=proposal,
        reviewer_id=world.commission.id or 0,
    )
    session.commit()
    return review


def post(client: TestClient, path: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    shown = client.get(path).text
    version = re.search(r'name="version" value="(\d+)"', shown)
    extra = {"version": version.group(1)} if version else {}
    return client.post(path, data={"csrftoken": csrf_token(shown), **extra, **fields})


def test_a_member_scores_saves_submits_and_then_reads_the_others(
    browser_client: TestClient, world: World, session: Session
):
    review = assigned(world, session)
    sign_in(browser_client, EXPERT)
    mine = browser_client.get("/evaluations").text
    assert "À évaluer (1)" in mine and "0 critère(s) notés sur 2." in mine
    path = f"/evaluations/{review.id}"
    page = browser_client.get(path).text
    # The proposal beside the form; the other member's review still sealed.
    assert "Pipes and tank" in page and "aminata" not in page.lower()
    draft = post(browser_client, path, {"scores-0-criterion": "relevance", "scores-0-score": "4"})
    assert draft.status_code == 303
    session.expire_all()
    assert [s.score for s in session.get(Review, review.id).scores] == [4]  # type: ignore[union-attr]
    refused = post(
        browser_client,
        path,
        {"scores-0-criterion": "relevance", "scores-0-score": "4", "_submit": "1"},
    )
    assert refused.status_code == 400
    assert 'href="#scores-0-score"' in refused.text and 'href="#recommendation"' in refused.text
    submitted = post(
        browser_client,
        path,
        {
            "scores-0-criterion": "relevance",
            "scores-0-score": "4.5",
            "scores-1-criterion": "feasibility",
            "scores-1-score": "3",
            "scores-1-comment": "Calendrier serré",
            "recommendation": "approve",
            "_submit": "1",
        },
    )
    assert submitted.status_code == 303, submitted.text
    session.expire_all()
    assert session.get(Review, review.id).status == ReviewStatus.SUBMITTED  # type: ignore[union-attr]
    after = browser_client.get(path).text
    assert "Les évaluations des autres membres" in after and "Calendrier serré" in after
    assert world.commission_b.full_name in after


def test_a_score_out_of_range_or_not_in_half_points_is_refused_on_its_field(
    browser_client: TestClient, world: World, session: Session
):
    review = assigned(world, session)
    sign_in(browser_client, EXPERT)
    answer = post(
        browser_client,
        f"/evaluations/{review.id}",
        {"scores-0-criterion": "relevance", "scores-0-score": "4.3"},
    )
    assert answer.status_code == 400 and 'href="#scores-0-score"' in answer.text
    session.expire_all()
    assert session.get(Review, review.id).scores == []  # type: ignore[union-attr]


def test_a_conflict_of_interest_is_declared_with_its_reason(
    browser_client: TestClient, world: World, session: Session
):
    review = assigned(world, session)
    sign_in(browser_client, EXPERT)
    path = f"/evaluations/{review.id}"
    without = post(browser_client, f"{path}/conflit", {"reason": ""})
    assert without.status_code == 400 and 'href="#reason"' in without.text
    declared = send_form(
        browser_client, path, f"{path}/conflit", {"reason": "Je suis membre de l'association."}
    )
    assert declared.status_code == 303
    session.expire_all()
    assert session.get(Review, review.id).status == ReviewStatus.DECLINED  # type: ignore[union-attr]
    assert "Refusée (conflit d’intérêts) (1)" in browser_client.get("/evaluations").text


def test_no_one_else_reaches_a_review(browser_client: TestClient, world: World, session: Session):
    review = assigned(world, session)
    # Aminata's own review is in, but the expert's is not: still sealed from her.
    for email in ("aminata@fedevaco.example", "youssef@tafraout.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get(f"/evaluations/{review.id}").status_code == 404, email
        token = csrf_token(browser_client.get("/").text)
        changed = browser_client.post(
            f"/evaluations/{review.id}",
            data={"csrftoken": token, "scores-0-criterion": "relevance", "scores-0-score": "1"},
        )
        assert changed.status_code == 404, email
    for email in ("youssef@tafraout.example", "beat@ddc.example"):
        browser_client.cookies.clear()
        sign_in(browser_client, email)
        assert browser_client.get("/evaluations").status_code == 403
    browser_client.cookies.clear()
    assert browser_client.get("/evaluations").status_code == 303
    session.expire_all()
    assert session.get(Review, review.id).scores == []  # type: ignore[union-attr]


def test_the_anchors_of_each_score_are_beside_it(
    browser_client: TestClient, world: World, session: Session
):
    review = assigned(world, session)
    criterion = world.call.criteria[0]
    criterion.guidance = {"1": "Aucun lien avec les priorités", "5": "Au cœur des priorités"}
    session.add(criterion)
    session.commit()
    sign_in(browser_client, EXPERT)
    page = browser_client.get(f"/evaluations/{review.id}").text
    assert "Ce que les notes signifient" in page
    assert "<dt>1</dt><dd>Aucun lien avec les priorités</dd>" in page
