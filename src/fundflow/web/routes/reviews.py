"""Commission members' pages: their reviews, and a review's form beside the proposal.

Scores are saved through the reviews' service (``save_scores``, as ``PUT /reviews/{id}``);
submitting and declaring a conflict of interest go through the review's transition engine.
Other members' reviews appear only once one's own is submitted, as the API seals them.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, InvalidInput, RuleViolation
from fundflow.core.pagination import PageParams
from fundflow.decisions.models import CommissionSession
from fundflow.decisions.sessions import next_sessions
from fundflow.proposals.models import Proposal
from fundflow.reviews import policies as review_policies
from fundflow.reviews import service as reviews
from fundflow.reviews.models import Review, ReviewStatus
from fundflow.reviews.schemas import ReviewUpdate
from fundflow.reviews.workflow import REVIEW_MACHINE
from fundflow.web import nested_forms
from fundflow.web.changes import act, attempt, form_version
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep
from fundflow.web.routes.submission import answers_of

router = APIRouter()

HALF = Decimal("0.5")


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    proposal: Proposal
    session: CommissionSession | None
    scored: int
    criteria: int


@router.get("/evaluations")
def my_reviews(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    review_policies.require_review_reader(viewer.actor)
    mine, _ = reviews.list_reviews(
        session, actor=viewer.actor, page=PageParams(limit=200), reviewer_id=viewer.actor.id
    )
    proposal_ids = [r.proposal_id for r in mine]
    proposals = {
        p.id: p
        for p in session.exec(select(Proposal).where(col(Proposal.id).in_(proposal_ids))).all()
    }
    due = next_sessions(
        session, call_ids={p.call_id for p in proposals.values()}, today=utcnow().date()
    )
    rows = [
        ReviewRow(
            review=review,
            proposal=proposals[review.proposal_id],
            session=due.get(proposals[review.proposal_id].call_id),
            scored=len(review.scores),
            criteria=len(proposals[review.proposal_id].call.criteria),
        )
        for review in mine
    ]
    groups = {
        status: [row for row in rows if row.review.status == status] for status in ReviewStatus
    }
    return render(request, "reviews.html", {"groups": groups})


def _points(value: Decimal) -> str:
    """A score as the form writes it: 4, 3.5, 10 (never 4.0 or 1E+1)."""
    return f"{value.normalize():f}"


def _score_options(max_score: Decimal) -> list[tuple[str, str]]:
    steps = int(max_score / HALF)
    return [(_points(HALF * i), _points(HALF * i)) for i in range(steps + 1)]


def _form_of(review: Review, criteria: list[Any]) -> dict[str, Any]:
    """The saved review in the form's shape: a row per criterion of the call."""
    by_criterion = {s.criterion_id: s for s in review.scores}
    rows = []
    for criterion in criteria:
        saved = by_criterion.get(criterion.id)
        rows.append(
            {
                "criterion": criterion.code,
                "score": "" if saved is None or saved.score is None else _points(saved.score),
                "not_applicable": "1" if saved is not None and saved.not_applicable else "",
                "comment": (saved.comment or "") if saved is not None else "",
            }
        )
    return nested_forms.as_rows(
        {
            "scores": rows,
            "recommendation": review.recommendation or "",
            "comment": review.comment or "",
        }
    )


def _review_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    review: Review,
    form: dict[str, Any] | None,
    errors: FormErrors,
    status_code: int = 200,
) -> Response:
    proposal = session.get(Proposal, review.proposal_id)
    assert proposal is not None
    criteria = list(proposal.call.criteria)
    others = []
    if review.status == ReviewStatus.SUBMITTED:
        others = [
            r
            for r in reviews.to_public_many(
                session, reviews.reviews_of_proposal(session, actor=viewer.actor, proposal=proposal)
            )
            if r.id != review.id
        ]
    context = answers_of(session, viewer, proposal) | {
        "review": review,
        "criteria": criteria,
        "score_options": {c.code: _score_options(c.max_score) for c in criteria},
        "form": form if form is not None else _form_of(review, criteria),
        "errors": errors,
        "editable": review.status == ReviewStatus.ASSIGNED
        and review.reviewer_id == viewer.actor.id,
        "others": others,
        "mine": reviews.to_public(session, review),
        "criterion_labels": {c.code: c.label for c in criteria},
    }
    return render(request, "review.html", context, status_code=status_code)


@router.get("/evaluations/{review_id}")
def review_form(
    request: Request, review_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    review = reviews.get_review(session, actor=viewer.actor, review_id=review_id)
    return _review_page(request, session, viewer, review, None, FormErrors())


def _review_update(tree: dict[str, Any], version: int) -> ReviewUpdate:
    scores = []
    for row in tree.get("scores", []):
        applicable = not row.get("not_applicable")
        if applicable and not row.get("score") and not row.get("comment"):
            continue  # not scored yet: a draft may leave it
        scores.append(
            {
                "criterion": row.get("criterion"),
                "score": row.get("score") if applicable else None,
                "not_applicable": not applicable,
                "comment": row.get("comment") or None,
            }
        )
    return ReviewUpdate.model_validate(
        {
            "scores": scores,
            "recommendation": tree.get("recommendation") or None,
            "comment": tree.get("comment") or None,
            "version": version,
        }
    )


# The review's guards in the catalogue's words, on the field to fix.
_REVIEW_RULES = {
    "criteria_scored": ("scores-0-score", N_("Score every criterion before submitting.")),
    "recommendation": ("recommendation", N_("Choose a recommendation.")),
    "proposal_in_review": ("scores-0-score", N_("The proposal is no longer under review.")),
}


@router.post("/evaluations/{review_id}")
def save_review(
    request: Request, review_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    review = reviews.get_review(session, actor=viewer.actor, review_id=review_id)
    tree = nested_forms.parse(form.multi_items())
    version = form_version(form)
    submitting = form.get("_submit") == "1"
    errors = FormErrors()
    try:
        data = _review_update(tree, version)
        attempt(
            session,
            lambda: reviews.save_scores(session, actor=viewer.actor, review=review, data=data),
        )
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except InvalidInput as invalid:
        for item in invalid.errors:
            loc = [str(part) for part in item.get("loc", []) if part != "body"]
            errors.add(nested_forms.SEPARATOR.join(loc) or "comment", item.get("message", ""))
    except Conflict:
        if review.version == version:
            raise
        errors.add("comment", N_("This review was saved elsewhere meanwhile: check it, then save."))
    if submitting and not errors:
        try:
            act(
                session,
                viewer,
                machine=REVIEW_MACHINE,
                entity=review,
                acting_roles=review_policies.acting_roles(viewer.actor, review),
                action="submit",
            )
        except RuleViolation as refused:
            for item in refused.errors:
                field, message = _REVIEW_RULES.get(
                    item.get("rule", ""), ("comment", N_("Check this answer."))
                )
                errors.add(field, message)
    if errors:
        return _review_page(request, session, viewer, review, tree, errors, 400)
    done = "depose" if submitting else "enregistre"
    return RedirectResponse(f"/evaluations/{review_id}?{done}=1", status_code=303)


@router.post("/evaluations/{review_id}/conflit")
def declare_conflict(
    request: Request, review_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    review = reviews.get_review(session, actor=viewer.actor, review_id=review_id)
    reason = form.get("reason")
    try:
        act(
            session,
            viewer,
            machine=REVIEW_MACHINE,
            entity=review,
            acting_roles=review_policies.acting_roles(viewer.actor, review),
            action="declare_conflict",
            comment=reason if isinstance(reason, str) else None,
        )
    except RuleViolation:
        errors = FormErrors()
        errors.add("reason", N_("Say in a few words why you cannot review this proposal."))
        return _review_page(request, session, viewer, review, None, errors, 400)
    return RedirectResponse("/evaluations?conflit=1", status_code=303)
