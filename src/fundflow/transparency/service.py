"""The public register of funded projects (no authentication)."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call, CallPriority
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project
from fundflow.proposals.models import Proposal, ProposalPriority
from fundflow.transparency.schemas import PublicPriority, PublicProject


def list_public_projects(
    session: Session,
    *,
    page: PageParams,
    year: int | None = None,
    country: str | None = None,
    priority: str | None = None,
) -> tuple[list[PublicProject], str | None]:
    """Projects exist only for approved proposals: nothing else can leak through here."""
    stmt: Any = select(Project)
    if year is not None:
        stmt = stmt.where(col(Project.call_id).in_(select(col(Call.id)).where(Call.year == year)))
    if country is not None:
        stmt = stmt.where(
            col(Project.proposal_id).in_(
                select(col(Proposal.id)).where(Proposal.country == country)
            )
        )
    if priority is not None:
        stmt = stmt.where(
            col(Project.proposal_id).in_(
                select(col(ProposalPriority.proposal_id))
                .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
                .where(CallPriority.code == priority)
            )
        )
    projects, cursor = fetch_page(session, stmt, Project.id, page)
    return _describe(session, projects), cursor


def _describe(session: Session, projects: Sequence[Project]) -> list[PublicProject]:
    """Three queries whatever the page size."""
    if not projects:
        return []
    rows = session.execute(
        sa.select(
            col(Proposal.id),
            col(Proposal.summary),
            col(Proposal.country),
            col(Proposal.locality),
            col(Organisation.name),
            col(Partner.country),
            col(Call.title),
            col(Call.year),
            col(Call.currency),
        )
        .join(Organisation, col(Organisation.id) == col(Proposal.organisation_id))
        .join(Call, col(Call.id) == col(Proposal.call_id))
        .outerjoin(Partner, col(Partner.id) == col(Proposal.partner_id))
        .where(col(Proposal.id).in_([p.proposal_id for p in projects]))
    ).all()
    facts = {row[0]: row for row in rows}
    priorities: dict[int, list[PublicPriority]] = {p.proposal_id: [] for p in projects}
    for proposal_id, code, label in session.execute(
        sa.select(
            col(ProposalPriority.proposal_id), col(CallPriority.code), col(CallPriority.label)
        )
        .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
        .where(col(ProposalPriority.proposal_id).in_(list(priorities)))
        .order_by(col(CallPriority.position))
    ).all():
        priorities[proposal_id].append(PublicPriority(code=code, label=label))
    result = []
    for project in projects:
        _, summary, country, locality, organisation, partner_country, call, year, currency = facts[
            project.proposal_id
        ]
        result.append(
            PublicProject(
                project_id=project.id or 0,
                title=project.title,
                summary=summary,
                organisation=organisation,
                country=country,
                locality=locality,
                partner_country=partner_country,
                call=call,
                year=year,
                granted_amount=project.granted_amount,
                currency=currency,
                status=project.status,
                start_date=project.start_date,
                end_date=project.end_date,
                priorities=priorities[project.proposal_id],
            )
        )
    return result
