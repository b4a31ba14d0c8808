"""An association's track record across calls and funders: what it asked, what it got,
what was paid, whether its reports came on time, what it owed back."""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col

from fundflow.calls.models import Call
from fundflow.cofinancing.models import Commitment, CommitmentStatus, Disbursement
from fundflow.core.money import ZERO, Amount
from fundflow.core.queries import sums_by
from fundflow.funders.models import Funder
from fundflow.monitoring.models import Refund, Report, ReportStatus, ReportVersion
from fundflow.organisations.models import Organisation
from fundflow.projects.models import Project
from fundflow.proposals.figures import requested_amounts
from fundflow.proposals.models import Proposal


class TrackRecordItem(BaseModel):
    proposal_id: int
    call: str
    year: int
    title: str
    status: str
    requested: Amount
    granted: Amount | None
    project_id: int | None
    project_status: str | None
    disbursed: Amount
    funders: list[str]
    reports_on_time: int
    reports_late: int
    refund_status: str | None
    refund_amount: Amount | None


class TrackRecord(BaseModel):
    organisation_id: int
    organisation: str
    membership_status: str
    proposals: int
    approved: int
    requested: Amount
    granted: Amount
    disbursed: Amount
    reports_on_time: int
    reports_late: int
    refunds_due: Amount
    items: list[TrackRecordItem]


def track_record(session: Session, organisation: Organisation, *, today: date) -> TrackRecord:
    """Submitted proposals only (drafts stay the association's own); a fixed number of
    queries whatever the history's length."""
    rows = session.execute(
        sa.select(Proposal, col(Call.title), col(Call.year), Project)
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .outerjoin(Project, col(Project.proposal_id) == col(Proposal.id))
        .where(
            col(Proposal.organisation_id) == organisation.id,
            col(Proposal.submitted_at).is_not(None),
        )
        .order_by(col(Proposal.submitted_at), col(Proposal.id))
    ).all()
    proposal_ids = [row[0].id for row in rows]
    project_ids = [row[3].id for row in rows if row[3] is not None]
    requested = requested_amounts(session, proposal_ids)
    disbursed = sums_by(
        session,
        col(Disbursement.project_id),
        col(Disbursement.amount),
        col(Disbursement.project_id).in_(project_ids),
    )
    funders: dict[int, list[str]] = defaultdict(list)
    for project_id, name in session.execute(
        sa.select(col(Commitment.project_id), col(Funder.name))
        .distinct()
        .join(Funder, col(Funder.id) == col(Commitment.funder_id))
        .where(
            col(Commitment.project_id).in_(project_ids),
            col(Commitment.status) == CommitmentStatus.CONFIRMED,
        )
        .order_by(col(Funder.name))
    ).all():
        funders[project_id].append(name)
    first_submission = (
        sa.select(
            col(ReportVersion.report_id).label("report_id"),
            sa.func.min(col(ReportVersion.submitted_at)).label("at"),
        )
        .group_by(col(ReportVersion.report_id))
        .subquery()
    )
    on_time: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for project_id, due_on, status, submitted_at in session.execute(
        sa.select(
            col(Report.project_id), col(Report.due_on), col(Report.status), first_submission.c.at
        )
        .outerjoin(first_submission, first_submission.c.report_id == col(Report.id))
        .where(col(Report.project_id).in_(project_ids))
    ).all():
        if submitted_at is not None:
            (on_time if submitted_at.date() <= due_on else late)[project_id] += 1
        elif status == ReportStatus.SCHEDULED and due_on < today:
            late[project_id] += 1
    refunds = {
        r.project_id: r
        for r in session.execute(
            sa.select(Refund).where(col(Refund.project_id).in_(project_ids))
        ).scalars()
    }
    items = []
    for proposal, call, year, project in rows:
        pid = project.id if project is not None else None
        refund = refunds.get(pid) if pid is not None else None
        items.append(
            TrackRecordItem(
                proposal_id=proposal.id or 0,
                call=call,
                year=year,
                title=proposal.title,
                status=str(proposal.status),
                requested=requested.get(proposal.id or 0, ZERO),
                granted=project.granted_amount if project is not None else None,
                project_id=pid,
                project_status=str(project.status) if project else None,
                disbursed=disbursed.get(pid, ZERO) if pid else ZERO,
                funders=funders.get(pid, []) if pid else [],
                reports_on_time=on_time.get(pid, 0) if pid else 0,
                reports_late=late.get(pid, 0) if pid else 0,
                refund_status=str(refund.status) if refund else None,
                refund_amount=refund.amount if refund else None,
            )
        )
    return TrackRecord(
        organisation_id=organisation.id or 0,
        organisation=organisation.name,
        membership_status=str(organisation.membership_status),
        proposals=len(items),
        approved=sum(1 for i in items if i.project_id is not None),
        requested=sum((i.requested for i in items), ZERO),
        granted=sum((i.granted or ZERO for i in items), ZERO),
        disbursed=sum((i.disbursed for i in items), ZERO),
        reports_on_time=sum(i.reports_on_time for i in items),
        reports_late=sum(i.reports_late for i in items),
        refunds_due=sum((i.refund_amount or ZERO for i in items if i.refund_status == "due"), ZERO),
        items=items,
    )
