"""What similar requests mean for eligibility: one blocking rule, and warnings.

Blocking: an active grant of the same association covering the same work over an
overlapping period, unless the proposal declares that it extends that project. Warning:
any other strong match, which the secretariat weighs (a resubmission after a refusal is
legitimate; the same project at another federation is not). An applicant is warned only
of its own association's requests: other associations' proposals are not theirs to see.
"""

from dataclasses import dataclass

from fundflow.core.actor import Actor
from fundflow.core.messages import N_
from fundflow.proposals.eligibility import Check, check
from fundflow.proposals.similarity.matching import STRONG
from fundflow.proposals.similarity.models import Verdict
from fundflow.proposals.similarity.policies import sees_every_association
from fundflow.proposals.similarity.service import Match

RULE = "no_double_funding"


@dataclass(frozen=True)
class Warning:
    rule: str
    proposal_id: int
    message: str


def _period(match: Match) -> str:
    c = match.candidate
    start = c.project_start or c.profile.start_date
    end = c.project_end or c.profile.end_date
    return f"{start} to {end}"


def double_funding_check(matches: list[Match], extends_project_id: int | None) -> Check:
    blocking = [m for m in matches if m.blocking]
    if blocking:
        m = blocking[0]
        c = m.candidate
        return check(
            RULE,
            False,
            N_(
                "Project %(project)s “%(title)s” (%(state)s, %(period)s) of the same "
                "association covers the same work over an overlapping period (similarity "
                "%(score)s/100). If this proposal continues it, declare extends_project_id: "
                "%(project)s; otherwise the same project is asked for twice."
            ),
            project=c.project_id,
            title=c.profile.title,
            state=str(c.project_status),
            period=_period(m),
            score=m.similarity.score,
        )
    if extends_project_id is not None:
        return check(
            RULE,
            True,
            N_("Declared as an extension of project %(project)s."),
            project=extends_project_id,
        )
    return check(RULE, True, N_("No active grant of the association covers the same work."))


def similarity_warnings(matches: list[Match], actor: Actor, organisation_id: int) -> list[Warning]:
    every = sees_every_association(actor)
    warnings = []
    for m in matches:
        c = m.candidate
        if m.similarity.score < STRONG or m.blocking or m.declared_extension:
            continue
        if m.verdict is not None and m.verdict.verdict == Verdict.DIFFERENT_PROJECT:
            continue
        own = c.profile.organisation_id == organisation_id
        if not (every or own):
            continue
        whose = "your association" if own and not every else c.organisation
        fields = ", ".join(reason.field for reason in m.similarity.reasons)
        project = f", project {c.project_id} {c.project_status}" if c.project_id else ""
        warnings.append(
            Warning(
                "similar_request",
                c.profile.proposal_id,
                f"Looks like proposal {c.profile.proposal_id} “{c.profile.title}” of {whose} "
                f"({c.call}, {c.status}{project}): similarity {m.similarity.score}/100 "
                f"({fields}).",
            )
        )
    return warnings


@dataclass(frozen=True)
class ToWeigh:
    """The similar requests a screener still has to weigh: strong and possible ones with no
    verdict yet, and how many block the proposal (the same grant twice)."""

    strong: int
    possible: int
    blocking: int


def to_weigh(matches: list[Match]) -> ToWeigh:
    open_matches = [m for m in matches if m.verdict is None and not m.declared_extension]
    return ToWeigh(
        strong=sum(1 for m in open_matches if m.similarity.score >= STRONG),
        possible=sum(1 for m in open_matches if m.similarity.score < STRONG),
        blocking=sum(1 for m in matches if m.blocking),
    )
