"""IATI 2.03 `iati-activities` of funded projects, streamed one activity at a time so
memory stays flat however many projects there are."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from lxml import etree
from sqlmodel import Session, col, select

from fundflow.calls.models import Call, CallPriority
from fundflow.cofinancing.models import Commitment, CommitmentStatus, Disbursement
from fundflow.cofinancing.policies import money_rows_of, projects_confirmed_by, require_own_funder
from fundflow.core.actor import Actor
from fundflow.core.config import Settings
from fundflow.funders.models import Funder
from fundflow.monitoring.models import Report, ReportIndicatorValue, ReportStatus
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project, ProjectStatus
from fundflow.proposals.models import Indicator, Outcome, Output, Proposal, ProposalPriority
from fundflow.transparency.service import FUNDED

BATCH = 200
# IATI ActivityStatus codelist.
STATUS = {
    ProjectStatus.CONTRACTING: "1",
    ProjectStatus.ACTIVE: "2",
    ProjectStatus.SUSPENDED: "2",
    ProjectStatus.FINAL_REPORTING: "3",
    ProjectStatus.CLOSED: "4",
    ProjectStatus.TERMINATED: "5",
}
# IATI OrganisationRole codelist.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
# IATI TransactionType codelist.
OUTGOING_COMMITMENT, DISBURSEMENT = "2", "3"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _narrative(parent: Any, tag: str, text: str | None, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, **attrs)
    etree.SubElement(element, "narrative").text = text or ""
    return element


def scoped_funder(actor: Actor, funder_id: int | None) -> int | None:
    """A funder's staff export the projects their funder co-finances (and may not name
    another funder); the secretariat any funder's, or all."""
    require_own_funder(actor, funder_id)
    own = money_rows_of(actor)
    return funder_id if own is None else own


def stream_activities(
    session: Session, settings: Settings, *, funder_id: int | None = None, public: bool = False
) -> Iterator[bytes]:
    """``public``: for everyone, a funder that asked not to be named is left unnamed."""
    generated = datetime.now(UTC).replace(microsecond=0).isoformat()
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
        f'generated-datetime="{generated}">\n'
    ).encode()
    # Prizes are not development activities: the awards publish them.
    stmt: Any = select(col(Project.id)).where(FUNDED).order_by(col(Project.id))
    if funder_id is not None:
        stmt = stmt.where(col(Project.id).in_(projects_confirmed_by(funder_id)))
    after = 0
    while True:
        already = set(session.identity_map.keys())
        ids = list(session.scalars(stmt.where(col(Project.id) > after).limit(BATCH)))
        if not ids:
            break
        for activity in _activities(session, settings, ids, public):
            yield etree.tostring(activity, encoding="UTF-8", pretty_print=True)
        after = ids[-1]
        # Nothing a written batch loaded stays in memory: the export stays flat in size.
        for key in set(session.identity_map.keys()) - already:
            instance = session.identity_map.get(key)
            if instance is not None:
                session.expunge(instance)
    yield b"</iati-activities>\n"


def _activities(
    session: Session, settings: Settings, ids: Sequence[int], public: bool
) -> Iterator[Any]:
    rows = session.execute(
        sa.select(Project, Proposal, Organisation, Partner, Call)
        .join(Proposal, col(Proposal.id) == col(Project.proposal_id))
        .join(Organisation, col(Organisation.id) == col(Project.organisation_id))
        .join(Call, col(Call.id) == col(Project.call_id))
        .outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
        .where(col(Project.id).in_(ids))
        .order_by(col(Project.id))
    ).all()
    proposal_ids = [row[1].id for row in rows]
    commitments: dict[int, list[tuple[Commitment, str | None]]] = defaultdict(list)
    for commitment, funder, named in session.execute(
        select(Commitment, col(Funder.name), col(Funder.named_publicly))
        .join(Funder, col(Funder.id) == col(Commitment.funder_id))
        .where(
            col(Commitment.project_id).in_(ids),
            col(Commitment.status) == CommitmentStatus.CONFIRMED,
        )
        .order_by(col(Commitment.id))
    ).all():
        commitments[commitment.project_id].append(
            (commitment, funder if named or not public else None)
        )
    disbursements: dict[int, list[Disbursement]] = defaultdict(list)
    for disbursement in session.scalars(
        select(Disbursement)
        .where(col(Disbursement.project_id).in_(ids))
        .order_by(col(Disbursement.id))
    ):
        disbursements[disbursement.project_id].append(disbursement)
    priorities: dict[int, list[str]] = defaultdict(list)
    for proposal_id, code in session.execute(
        sa.select(col(ProposalPriority.proposal_id), col(CallPriority.code))
        .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
        .where(col(ProposalPriority.proposal_id).in_(proposal_ids))
    ).all():
        priorities[proposal_id].append(code)
    results = _results(session, ids, proposal_ids)
    for project, proposal, organisation, partner, call in rows:
        yield _activity(
            settings,
            project,
            proposal,
            organisation,
            partner,
            call,
            commitments[project.id or 0],
            disbursements[project.id or 0],
            priorities[proposal.id or 0],
            results.get(proposal.id or 0, []),
        )


def _results(
    session: Session, project_ids: Sequence[int], proposal_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Per proposal: its outcomes and outputs with indicators and approved periods."""
    statements: dict[tuple[str, int], str] = {}
    for outcome in session.scalars(
        select(Outcome).where(col(Outcome.proposal_id).in_(proposal_ids))
    ):
        statements[("outcome", outcome.id or 0)] = outcome.statement
    for output in session.scalars(
        select(Output).where(col(Output.outcome_id).in_([key[1] for key in statements]))
    ):
        statements[("output", output.id or 0)] = output.statement
    actuals: dict[int, list[tuple[Report, Decimal]]] = defaultdict(list)
    for value, report in session.execute(
        select(ReportIndicatorValue, Report)
        .join(Report, col(Report.id) == col(ReportIndicatorValue.report_id))
        .where(
            col(Report.project_id).in_(project_ids),
            col(Report.status) == ReportStatus.APPROVED,
            col(ReportIndicatorValue.value).is_not(None),
        )
        .order_by(col(Report.period_start))
    ).all():
        actuals[value.indicator_id].append((report, value.value))
    grouped: dict[tuple[int, str, int], dict[str, Any]] = {}
    for indicator in session.scalars(
        select(Indicator)
        .where(col(Indicator.proposal_id).in_(proposal_ids))
        .order_by(col(Indicator.id))
    ):
        kind, key = (
            ("output", indicator.output_id)
            if indicator.output_id
            else ("outcome", indicator.outcome_id)
        )
        entry = grouped.setdefault(
            (indicator.proposal_id, kind, key or 0),
            {
                "type": "1" if kind == "output" else "2",
                "title": statements.get((kind, key or 0), ""),
                "indicators": [],
            },
        )
        entry["indicators"].append((indicator, actuals.get(indicator.id or 0, [])))
    by_proposal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (proposal_id, _, _), entry in sorted(grouped.items()):
        by_proposal[proposal_id].append(entry)
    return by_proposal


def _activity(
    settings: Settings,
    project: Project,
    proposal: Proposal,
    organisation: Organisation,
    partner: Partner | None,
    call: Call,
    commitments: list[tuple[Commitment, str | None]],
    disbursements: list[Disbursement],
    priorities: list[str],
    results: list[dict[str, Any]],
) -> Any:
    activity = etree.Element(
        "iati-activity",
        **{
            "default-currency": call.currency,
            "last-updated-datetime": project.created_at.replace(microsecond=0).isoformat(),
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{settings.iati_org_ref}-{project.id}"
    _narrative(
        activity, "reporting-org", settings.iati_org_name, ref=settings.iati_org_ref, type="80"
    )
    _narrative(activity, "title", project.title)
    _narrative(activity, "description", proposal.summary or project.title, type="1")
    for _, funder in commitments:
        if funder is not None:
            _narrative(activity, "participating-org", funder, role=FUNDING)
    _narrative(activity, "participating-org", organisation.name, role=ACCOUNTABLE, type="22")
    _narrative(
        activity,
        "participating-org",
        settings.iati_org_name,
        role=EXTENDING,
        ref=settings.iati_org_ref,
    )
    if partner is not None:
        _narrative(activity, "participating-org", partner.name, role=IMPLEMENTING)
    etree.SubElement(activity, "activity-status", code=STATUS[project.status])
    if project.start_date:
        etree.SubElement(
            activity, "activity-date", type="1", **{"iso-date": project.start_date.isoformat()}
        )
    if project.end_date:
        etree.SubElement(
            activity, "activity-date", type="3", **{"iso-date": project.end_date.isoformat()}
        )
    if proposal.country:
        etree.SubElement(activity, "recipient-country", code=proposal.country, percentage="100")
    for code in priorities:
        etree.SubElement(
            activity,
            "sector",
            vocabulary="99",
            code=code,
            **{"vocabulary-uri": f"urn:fundflow:call:{call.id}:priorities"},
        )
    if project.start_date and project.end_date:
        budget = etree.SubElement(activity, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", **{"iso-date": project.start_date.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": project.end_date.isoformat()})
        _value(budget, project.granted_amount, call.currency, project.start_date.isoformat())
    for commitment, funder in commitments:
        _transaction(
            activity,
            OUTGOING_COMMITMENT,
            commitment.created_at.date().isoformat(),
            (commitment.amount, call.currency),
            funder,
        )
    for disbursement in disbursements:
        _transaction(
            activity,
            DISBURSEMENT,
            disbursement.paid_on.isoformat(),
            (disbursement.amount, call.currency),
            None,
        )
    for result in results:
        element = etree.SubElement(
            activity, "result", type=result["type"], **{"aggregation-status": "0"}
        )
        _narrative(element, "title", result["title"])
        for indicator, actuals in result["indicators"]:
            _indicator(element, indicator, actuals)
    return activity


def _value(parent: Any, amount: Decimal, currency: str, day: str) -> None:
    """A value says its currency and the day its amount is valued at, each one: a reader
    converting it needs both, whatever the activity's default currency."""
    etree.SubElement(parent, "value", currency=currency, **{"value-date": day}).text = _money(
        amount
    )


def _transaction(
    activity: Any, code: str, day: str, money: tuple[Decimal, str], provider: str | None
) -> None:
    transaction = etree.SubElement(activity, "transaction")
    etree.SubElement(transaction, "transaction-type", code=code)
    etree.SubElement(transaction, "transaction-date", **{"iso-date": day})
    _value(transaction, *money, day)
    if provider is not None:
        _narrative(transaction, "provider-org", provider)


def _indicator(result: Any, indicator: Indicator, actuals: list[tuple[Report, Decimal]]) -> None:
    element = etree.SubElement(result, "indicator", measure="1", ascending="1")
    _narrative(element, "title", indicator.name)
    if indicator.baseline_year is not None:
        etree.SubElement(
            element,
            "baseline",
            year=str(indicator.baseline_year),
            value=format(indicator.baseline or Decimal(0), "f"),
        )
    for report, value in actuals:
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", **{"iso-date": report.period_start.isoformat()})
        etree.SubElement(period, "period-end", **{"iso-date": report.period_end.isoformat()})
        if indicator.target is not None:
            etree.SubElement(period, "target", value=format(indicator.target.normalize(), "f"))
        etree.SubElement(period, "actual", value=format(value.normalize(), "f"))
