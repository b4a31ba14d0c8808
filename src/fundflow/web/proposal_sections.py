"""A proposal as a task list: its sections, what each holds, how far it is, and which
eligibility rules it answers.

Each section is saved on its own, in any order, through the same ``update_proposal`` as
the API (a section sends only its own fields). Its status is read from what is saved:
*to do* when it holds nothing yet, *in progress* when some is there, *done* when all is.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fundflow.core.messages import N_, Message
from fundflow.proposals.coaching.models import CommentSection
from fundflow.proposals.eligibility import Check
from fundflow.proposals.schemas import ProposalPublic
from fundflow.web.nested_forms import Nested

TO_DO, IN_PROGRESS, DONE, OPTIONAL = "to_do", "in_progress", "done", "optional"

STATUS_NAMES = {
    TO_DO: N_("To do"),
    IN_PROGRESS: N_("In progress"),
    DONE: N_("Done"),
    OPTIONAL: N_("Optional"),
}


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    template: str
    # The proposal's fields the section's form writes (as ProposalUpdate names them).
    fields: tuple[str, ...]
    # The eligibility rules a failure of which this section fixes.
    rules: tuple[str, ...]
    status: Callable[[ProposalPublic, int], str]
    # Where the secretariat's comments on this section are filed.
    comments: CommentSection


def _filled(*values: Any) -> str:
    present = [bool(v) for v in values]
    return DONE if all(present) else IN_PROGRESS if any(present) else TO_DO


def _project_status(p: ProposalPublic, _documents: int) -> str:
    # The title is given when the draft is started: the section is at least in progress.
    return _filled(p.summary, p.country, p.locality, p.start_date, p.end_date, p.priorities)


def _financing_status(p: ProposalPublic, _documents: int) -> str:
    return _filled(p.financing_lines, p.other_funding_requests_declared is not None)


def _logframe_status(p: ProposalPublic, _documents: int) -> str:
    indicators = any(
        o.indicators or any(out.indicators for out in o.outputs) for o in p.logframe.outcomes
    )
    return _filled(p.logframe.goal, p.logframe.outcomes, indicators)


SECTIONS = (
    Section(
        "projet",
        N_("Project"),
        "proposal_project.html",
        ("title", "summary", "country", "locality", "start_date", "end_date", "priorities"),
        ("priorities", "duration", "country", "no_double_funding"),
        _project_status,
        CommentSection.PROJECT,
    ),
    Section(
        "partenaire",
        N_("Local partner"),
        "proposal_partner.html",
        ("partner_id",),
        ("partner_required",),
        lambda p, _d: DONE if p.partner_id else TO_DO,
        CommentSection.PARTNER,
    ),
    Section(
        "budget",
        N_("Budget"),
        "proposal_budget.html",
        ("budget_lines",),
        ("budget_balanced",),
        lambda p, _d: DONE if p.budget_lines else TO_DO,
        CommentSection.BUDGET,
    ),
    Section(
        "financement",
        N_("Financing plan"),
        "proposal_financing.html",
        ("financing_lines", "other_funding_requests_declared"),
        ("request_range", "requested_share", "own_share", "other_funding_declared"),
        _financing_status,
        CommentSection.FINANCING,
    ),
    Section(
        "cadre-logique",
        N_("Logframe"),
        "proposal_logframe.html",
        ("logframe",),
        (),
        _logframe_status,
        CommentSection.LOGFRAME,
    ),
    Section(
        "documents",
        N_("Attachments"),
        "proposal_documents.html",
        (),
        (),
        lambda _p, documents: DONE if documents else OPTIONAL,
        CommentSection.ATTACHMENTS,
    ),
)


def _nomination_status(p: ProposalPublic, _documents: int) -> str:
    n = p.nomination
    assert n is not None
    return _filled(
        p.summary,
        p.country,
        p.locality,
        n.nominee_name,
        n.nominee_kind,
        n.self_nomination or n.nominee_email,
    )


# A nomination in an award round: whom, for what, where; and its attachments.
NOMINATION_SECTIONS = (
    Section(
        "candidature",
        N_("Nomination"),
        "proposal_nomination.html",
        ("title", "summary", "country", "locality", "nomination"),
        ("nomination", "country", "priorities", "no_double_funding"),
        _nomination_status,
        CommentSection.PROJECT,
    ),
    SECTIONS[-1],
)

BY_SLUG = {section.slug: section for section in (*SECTIONS, *NOMINATION_SECTIONS)}


def sections_for(nomination: bool) -> tuple[Section, ...]:
    """A proposal's sections: a nomination's (an award round's call) or a project's."""
    return NOMINATION_SECTIONS if nomination else SECTIONS


# The field in which each part the completeness rule may find missing is written.
_PART_FIELD = {
    "summary": "summary",
    "country": "country",
    "locality": "locality",
    "start_date": "start_date",
    "end_date": "end_date",
    "budget_lines": "budget_lines",
    "financing_lines": "financing_lines",
    "logframe.goal": "logframe",
    "logframe.outcomes": "logframe",
    "logframe indicators": "logframe",
}


@dataclass(frozen=True)
class Failure:
    """A failed rule as the task list shows it: in words, with the section that fixes it
    (None: nothing in the proposal does, such as the call's window)."""

    explanation: Message
    section: Section | None


# Failures that only repeat, in other words, a part the completeness rule finds missing.
_SAID_BY_COMPLETENESS = {
    "Give the project's start_date and end_date.",
    "Give the country where the project takes place.",
    "The request has no share of the budget yet (no budget).",
    "Own funds have no share of the budget yet (no budget); at least %(limit)s are required.",
}


def failures(checks: list[Check]) -> list[Failure]:
    # A nomination's checks include its own rule: its sections are a nomination's.
    sections = sections_for(any(c.rule == "nomination" for c in checks))
    incomplete = any(c.rule == "complete" and not c.passed for c in checks)
    found = []
    for check in checks:
        if check.passed or (incomplete and check.explanation.text in _SAID_BY_COMPLETENESS):
            continue
        if check.rule == "complete":
            # One line per missing part, each leading to where it is written.
            for part in check.explanation.values.get("missing", ()):
                found.append(
                    Failure(
                        Message(check.explanation.text, {"missing": (part,)}),
                        next((s for s in sections if _PART_FIELD[part] in s.fields), None),
                    )
                )
            continue
        section = next((s for s in sections if check.rule in s.rules), None)
        found.append(Failure(check.explanation, section))
    return found


def section_content(section: Section, tree: Nested) -> dict[str, Any]:
    """What the section's form sends to ``update_proposal``: every field of the section,
    a blank one as cleared, so that emptying a field on the page empties it."""
    content: dict[str, Any] = {}
    for name in section.fields:
        given = tree.get(name)
        if name == "priorities":
            given = [given] if isinstance(given, str) else (given or [])
        elif name in ("budget_lines", "financing_lines"):
            given = given or []
        elif name == "other_funding_requests_declared":
            given = {"yes": True, "no": False}.get(given) if isinstance(given, str) else None
        elif name == "logframe":
            given = given or {}
            given.setdefault("outcomes", [])
            given.setdefault("goal", None)
        elif name == "title":
            given = given or ""
        elif name == "nomination":
            given = {key: value or None for key, value in (given or {}).items()}
            given["self_nomination"] = given.get("self_nomination") == "yes"
        content[name] = given
    return content


COMMENT_SECTIONS = {
    CommentSection.GENERAL: N_("The whole proposal"),
    **{section.comments: section.title for section in SECTIONS},
}
