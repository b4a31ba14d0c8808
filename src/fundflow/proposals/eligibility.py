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
from fundflow.core.messages import N_, Message
from fundflow.core.money import format_amount
from fundflow.organisations.models import MembershipStatus, Organisation, Partner
from fundflow.proposals.figures import figures
from fundflow.proposals.models import FinancingSource, FinancingStatus, Proposal

OTHER_FUNDER_SOURCES = (FinancingSource.OTHER_PUBLIC, FinancingSource.OTHER)


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    explanation: Message

    @property
    def message(self) -> str:
        return str(self.explanation)


def check(rule: str, passed: bool, text: str, **values: object) -> Check:
    return Check(rule, passed, Message(text, values))


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
        _priorities(call, proposal),
        _complete(rules, proposal),
        *(_money(rules, proposal) if rules.requires_budget else ()),
        *((_duration(rules, proposal),) if rules.requires_logframe else ()),
        _country(rules, call, proposal),
        *((_other_funding(proposal),) if rules.requires_budget else ()),
    ]


def _call_open(call: Call, now: datetime) -> Check:
    if accepting_submissions(call, now=now):
        return check("call_open", True, N_("The call accepts submissions."))
    if call.closes_at:
        return check(
            "call_open",
            False,
            N_("The call is not accepting submissions (window %(opens)s to %(closes)s)."),
            opens=f"{call.opens_at:%Y-%m-%d}",
            closes=f"{call.closes_at:%Y-%m-%d}",
        )
    return check("call_open", False, N_("The call is not accepting submissions."))


def _membership(rules: CallRules, organisation: Organisation) -> Check:
    if not rules.members_only:
        return check("membership", True, N_("The call is open to non-members."))
    if organisation.membership_status == MembershipStatus.MEMBER:
        return check("membership", True, N_("The organisation is an active member."))
    return check(
        "membership",
        False,
        N_("Only active members may apply; the organisation's membership is `%(status)s`."),
        status=str(organisation.membership_status),
    )


def _partner(rules: CallRules, partner: Partner | None, proposal: Proposal) -> Check:
    if partner is None:
        if rules.requires_partner:
            return check(
                "partner_required",
                False,
                N_("Name the partner organisation in the beneficiary territory (partner_id)."),
            )
        return check("partner_required", True, N_("The call does not require a partner."))
    if proposal.country and partner.country != proposal.country:
        return check(
            "partner_required",
            False,
            N_(
                "The partner is in %(partner_country)s, the project in %(country)s: "
                "the partner must work in the beneficiary territory."
            ),
            partner_country=partner.country,
            country=proposal.country,
        )
    return check(
        "partner_required",
        True,
        N_("Partner: %(name)s (%(country)s)."),
        name=partner.name,
        country=partner.country,
    )


def _priorities(call: Call, proposal: Proposal) -> Check:
    if not call.priorities:
        return check("priorities", True, N_("The call names no priorities."))
    if proposal.priorities:
        codes = ", ".join(p.code for p in proposal.priorities)
        return check(
            "priorities", True, N_("Addresses the call's priorities: %(codes)s."), codes=codes
        )
    return check("priorities", False, N_("Address at least one of the call's priorities."))


def _complete(rules: CallRules, proposal: Proposal) -> Check:
    required: list[tuple[str, object]] = [
        (N_("summary"), proposal.summary),
        (N_("country"), proposal.country),
        (N_("locality"), proposal.locality),
    ]
    if rules.requires_logframe:
        required += [
            (N_("start_date"), proposal.start_date),
            (N_("end_date"), proposal.end_date),
        ]
    if rules.requires_budget:
        required += [
            (N_("budget_lines"), proposal.budget_lines),
            (N_("financing_lines"), proposal.financing_lines),
        ]
    if rules.requires_logframe:
        required += [
            (N_("logframe.goal"), proposal.logframe_goal),
            (N_("logframe.outcomes"), proposal.outcomes),
        ]
    missing = tuple(name for name, present in required if not present)
    if (
        rules.requires_logframe
        and proposal.outcomes
        and not any(
            outcome.indicators or any(output.indicators for output in outcome.outputs)
            for outcome in proposal.outcomes
        )
    ):
        missing += (N_("logframe indicators"),)
    if missing:
        return check("complete", False, N_("Still missing: %(missing)s."), missing=missing)
    return check("complete", True, N_("All required parts are filled in."))


def _money(rules: CallRules, proposal: Proposal) -> list[Check]:
    f = figures(proposal)
    checks = []
    requested = f.requested_amount
    low, high = rules.min_request, rules.max_request
    if requested <= 0:
        checks.append(
            check(
                "request_range",
                False,
                N_("Add a financing line with source `requested` for this call."),
            )
        )
    elif low is not None and requested < low:
        checks.append(
            check(
                "request_range",
                False,
                N_("The request of %(requested)s is below the minimum of %(minimum)s."),
                requested=format_amount(requested),
                minimum=format_amount(low),
            )
        )
    elif high is not None and requested > high:
        checks.append(
            check(
                "request_range",
                False,
                N_("The request of %(requested)s exceeds the maximum of %(maximum)s."),
                requested=format_amount(requested),
                maximum=format_amount(high),
            )
        )
    else:
        checks.append(
            check(
                "request_range",
                True,
                N_("The request of %(requested)s is within the call's range."),
                requested=format_amount(requested),
            )
        )

    if f.total_budget > 0 and f.total_financing == f.total_budget:
        checks.append(check("budget_balanced", True, N_("Financing equals the budget.")))
    else:
        checks.append(
            check(
                "budget_balanced",
                False,
                N_("The financing plan (%(financing)s) must equal the budget (%(budget)s)."),
                financing=format_amount(f.total_financing),
                budget=format_amount(f.total_budget),
            )
        )

    share = f.requested_share
    if share is not None and share <= rules.max_requested_share:
        checks.append(
            check(
                "requested_share",
                True,
                N_("The request is %(share)s of the budget."),
                share=_pct(share),
            )
        )
    elif share is None:
        checks.append(
            check(
                "requested_share",
                False,
                N_("The request has no share of the budget yet (no budget)."),
            )
        )
    else:
        checks.append(
            check(
                "requested_share",
                False,
                N_("The request is %(share)s of the budget; at most %(limit)s may be requested."),
                share=_pct(share),
                limit=_pct(rules.max_requested_share),
            )
        )

    own = f.own_share
    if own is not None and own >= rules.min_own_share:
        checks.append(
            check("own_share", True, N_("Own funds are %(share)s of the budget."), share=_pct(own))
        )
    elif own is None:
        checks.append(
            check(
                "own_share",
                False,
                N_(
                    "Own funds have no share of the budget yet (no budget); at least %(limit)s "
                    "are required."
                ),
                limit=_pct(rules.min_own_share),
            )
        )
    else:
        checks.append(
            check(
                "own_share",
                False,
                N_("Own funds are %(share)s of the budget; at least %(limit)s are required."),
                share=_pct(own),
                limit=_pct(rules.min_own_share),
            )
        )
    return checks


def _duration(rules: CallRules, proposal: Proposal) -> Check:
    limit = rules.max_duration_months
    if proposal.start_date is None or proposal.end_date is None:
        return check("duration", False, N_("Give the project's start_date and end_date."))
    if proposal.end_date < add_months(proposal.start_date, limit):
        return check(
            "duration", True, N_("The project lasts at most %(limit)s months."), limit=limit
        )
    return check(
        "duration",
        False,
        N_(
            "The project runs from %(start)s to %(end)s: longer than the %(limit)s months "
            "the call allows."
        ),
        start=str(proposal.start_date),
        end=str(proposal.end_date),
        limit=limit,
    )


def _country(rules: CallRules, call: Call, proposal: Proposal) -> Check:
    eligible = rules.eligible_countries
    if proposal.country is None:
        return check("country", False, N_("Give the country where the project takes place."))
    if eligible and proposal.country not in eligible:
        text = (
            N_("Projects of this call take place in the canton %(eligible)s, not in %(country)s.")
            if call.kind == CallKind.INTEGRATION
            else N_("Projects of this call take place in %(eligible)s, not in %(country)s.")
        )
        return check("country", False, text, eligible=", ".join(eligible), country=proposal.country)
    return check("country", True, N_("%(country)s is eligible."), country=proposal.country)


def _other_funding(proposal: Proposal) -> Check:
    declared = proposal.other_funding_requests_declared
    others = [line for line in proposal.financing_lines if line.source in OTHER_FUNDER_SOURCES]
    if declared is None:
        return check(
            "other_funding_declared",
            False,
            N_(
                "Say whether you asked other funders for this project "
                "(other_funding_requests_declared)."
            ),
        )
    if declared and not others:
        return check(
            "other_funding_declared",
            False,
            N_(
                "You declared other funding requests: list them as financing lines "
                "(source other_public or other, with the funder's name)."
            ),
        )
    if declared and any(not line.funder_name for line in others):
        return check(
            "other_funding_declared",
            False,
            N_("Name the funder of every other funding request (funder_name)."),
        )
    pending = [line for line in others if line.status == FinancingStatus.REQUESTED]
    if not declared and pending:
        return check(
            "other_funding_declared",
            False,
            N_(
                "The financing plan lists requests to other funders: declare them "
                "(other_funding_requests_declared: true)."
            ),
        )
    if declared:
        return check(
            "other_funding_declared",
            True,
            N_("%(count)s other funding request(s) declared."),
            count=len(others),
        )
    return check("other_funding_declared", True, N_("No other funding requested."))
