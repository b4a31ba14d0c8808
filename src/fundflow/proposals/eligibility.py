"""The eligibility rules of DOMAIN.md, evaluated against a proposal's call.

Pure: it reads the loaded proposal, its call, organisation and partner, and explains
every rule, passed or failed, so an association knows exactly what to fix.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from fundflow.calls.models import Call, CallKind
from fundflow.calls.rules import CallRules
from fundflow.calls.service import accepting_submissions, call_rules
from fundflow.core.money import format_amount
from fundflow.organisations.models import MembershipStatus, Organisation, Partner
from fundflow.proposals.figures import figures
from fundflow.proposals.models import FinancingSource, FinancingStatus, Proposal

OTHER_FUNDER_SOURCES = (FinancingSource.OTHER_PUBLIC, FinancingSource.OTHER)


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    message: str


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %"


def check_eligibility(
    proposal: Proposal,
    *,
    call: Call,
    organisation: Organisation,
    partner: Partner | None,
    now: datetime,
) -> list[Check]:
    rules = call_rules(call)
    return [
        _call_open(call, now),
        _membership(rules, organisation),
        _partner(rules, partner, proposal),
        _priorities(proposal),
        _complete(proposal),
        *_money(rules, proposal),
        _duration(rules, proposal),
        _country(rules, call, proposal),
        _other_funding(proposal),
    ]


def _call_open(call: Call, now: datetime) -> Check:
    if accepting_submissions(call, now=now):
        return Check("call_open", True, "The call accepts submissions.")
    closes = (
        f" (window {call.opens_at:%Y-%m-%d} to {call.closes_at:%Y-%m-%d})" if call.closes_at else ""
    )
    return Check("call_open", False, f"The call is not accepting submissions{closes}.")


def _membership(rules: CallRules, organisation: Organisation) -> Check:
    if not rules.members_only:
        return Check("membership", True, "The call is open to non-members.")
    if organisation.membership_status == MembershipStatus.MEMBER:
        return Check("membership", True, "The organisation is an active member.")
    return Check(
        "membership",
        False,
        f"Only active members may apply; the organisation's membership is "
        f"`{organisation.membership_status}`.",
    )


def _partner(rules: CallRules, partner: Partner | None, proposal: Proposal) -> Check:
    if partner is None:
        if rules.requires_partner:
            return Check(
                "partner_required",
                False,
                "Name the partner organisation in the beneficiary territory (partner_id).",
            )
        return Check("partner_required", True, "The call does not require a partner.")
    if proposal.country and partner.country != proposal.country:
        return Check(
            "partner_required",
            False,
            f"The partner is in {partner.country}, the project in {proposal.country}: "
            "the partner must work in the beneficiary territory.",
        )
    return Check("partner_required", True, f"Partner: {partner.name} ({partner.country}).")


def _priorities(proposal: Proposal) -> Check:
    if proposal.priorities:
        codes = ", ".join(p.code for p in proposal.priorities)
        return Check("priorities", True, f"Addresses the call's priorities: {codes}.")
    return Check("priorities", False, "Address at least one of the call's priorities.")


def _complete(proposal: Proposal) -> Check:
    missing = [
        name
        for name, present in (
            ("summary", proposal.summary),
            ("country", proposal.country),
            ("locality", proposal.locality),
            ("start_date", proposal.start_date),
            ("end_date", proposal.end_date),
            ("budget_lines", proposal.budget_lines),
            ("financing_lines", proposal.financing_lines),
            ("logframe.goal", proposal.logframe_goal),
            ("logframe.outcomes", proposal.outcomes),
        )
        if not present
    ]
    if proposal.outcomes and not any(
        outcome.indicators or any(output.indicators for output in outcome.outputs)
        for outcome in proposal.outcomes
    ):
        missing.append("logframe indicators")
    if missing:
        return Check("complete", False, f"Still missing: {', '.join(missing)}.")
    return Check("complete", True, "All required parts are filled in.")


def _money(rules: CallRules, proposal: Proposal) -> list[Check]:
    f = figures(proposal)
    checks = []
    requested = f.requested_amount
    low, high = rules.min_request, rules.max_request
    if requested <= 0:
        checks.append(
            Check(
                "request_range",
                False,
                "Add a financing line with source `requested` for this call.",
            )
        )
    elif low is not None and requested < low:
        checks.append(
            Check(
                "request_range",
                False,
                f"The request of {format_amount(requested)} is below the minimum of "
                f"{format_amount(low)}.",
            )
        )
    elif high is not None and requested > high:
        checks.append(
            Check(
                "request_range",
                False,
                f"The request of {format_amount(requested)} exceeds the maximum of "
                f"{format_amount(high)}.",
            )
        )
    else:
        checks.append(
            Check(
                "request_range",
                True,
                f"The request of {format_amount(requested)} is within the call's range.",
            )
        )

    if f.total_budget > 0 and f.total_financing == f.total_budget:
        checks.append(Check("budget_balanced", True, "Financing equals the budget."))
    else:
        checks.append(
            Check(
                "budget_balanced",
                False,
                f"The financing plan ({format_amount(f.total_financing)}) must equal "
                f"the budget ({format_amount(f.total_budget)}).",
            )
        )

    share = f.requested_share
    if share is not None and share <= rules.max_requested_share:
        checks.append(
            Check("requested_share", True, f"The request is {_pct(share)} of the budget.")
        )
    else:
        shown = _pct(share) if share is not None else "undefined (no budget)"
        checks.append(
            Check(
                "requested_share",
                False,
                f"The request is {shown} of the budget; at most "
                f"{_pct(rules.max_requested_share)} may be requested.",
            )
        )

    own = f.own_share
    if own is not None and own >= rules.min_own_share:
        checks.append(Check("own_share", True, f"Own funds are {_pct(own)} of the budget."))
    else:
        shown = _pct(own) if own is not None else "undefined (no budget)"
        checks.append(
            Check(
                "own_share",
                False,
                f"Own funds are {shown} of the budget; at least "
                f"{_pct(rules.min_own_share)} are required.",
            )
        )
    return checks


def _duration(rules: CallRules, proposal: Proposal) -> Check:
    limit = rules.max_duration_months
    if proposal.start_date is None or proposal.end_date is None:
        return Check("duration", False, "Give the project's start_date and end_date.")
    if proposal.end_date < add_months(proposal.start_date, limit):
        return Check("duration", True, f"The project lasts at most {limit} months.")
    return Check(
        "duration",
        False,
        f"The project runs from {proposal.start_date} to {proposal.end_date}: longer "
        f"than the {limit} months the call allows.",
    )


def _country(rules: CallRules, call: Call, proposal: Proposal) -> Check:
    eligible = rules.eligible_countries
    if proposal.country is None:
        return Check("country", False, "Give the country where the project takes place.")
    if eligible and proposal.country not in eligible:
        where = "in the canton" if call.kind == CallKind.INTEGRATION else "in"
        return Check(
            "country",
            False,
            f"Projects of this call take place {where} {', '.join(eligible)}, "
            f"not in {proposal.country}.",
        )
    return Check("country", True, f"{proposal.country} is eligible.")


def _other_funding(proposal: Proposal) -> Check:
    declared = proposal.other_funding_requests_declared
    others = [line for line in proposal.financing_lines if line.source in OTHER_FUNDER_SOURCES]
    if declared is None:
        return Check(
            "other_funding_declared",
            False,
            "Say whether you asked other funders for this project "
            "(other_funding_requests_declared).",
        )
    if declared and not others:
        return Check(
            "other_funding_declared",
            False,
            "You declared other funding requests: list them as financing lines "
            "(source other_public or other, with the funder's name).",
        )
    if declared and any(not line.funder_name for line in others):
        return Check(
            "other_funding_declared",
            False,
            "Name the funder of every other funding request (funder_name).",
        )
    pending = [line for line in others if line.status == FinancingStatus.REQUESTED]
    if not declared and pending:
        return Check(
            "other_funding_declared",
            False,
            "The financing plan lists requests to other funders: declare them "
            "(other_funding_requests_declared: true).",
        )
    return Check(
        "other_funding_declared",
        True,
        f"{len(others)} other funding request(s) declared."
        if declared
        else "No other funding requested.",
    )
