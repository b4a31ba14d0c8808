"""The public register of funded projects (no authentication)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from fundflow.calls.models import Call, CallKind, CallPriority
from fundflow.cofinancing.models import Commitment, CommitmentStatus
from fundflow.core.errors import not_found
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.funders.models import Funder
from fundflow.monitoring.indicators import indicator_progress
from fundflow.organisations.models import Organisation, Partner
from fundflow.projects.models import Project
from fundflow.proposals.models import Proposal, ProposalPriority
from fundflow.transparency.schemas import (
    PublicFunder,
    PublicFunding,
    PublicPriority,
    PublicProject,
    PublicProjectDetail,
    PublicResult,
)

# Prizes are published with their laureates (``transparency.awards``), not as projects: a
# prize's project is held by whoever nominated the laureate.
FUNDED = col(Project.call_id).in_(select(col(Call.id)).where(col(Call.kind) != CallKind.AWARD))


def list_public_projects(
    session: Session,
    *,
    page: PageParams,
    year: int | None = None,
    country: str | None = None,
    priority: str | None = None,
    funder_id: int | None = None,
    organisation_id: int | None = None,
) -> tuple[list[PublicProject], str | None]:
    """Projects exist only for approved proposals: nothing else can leak through here.
    Filtering by funder finds only a funder named publicly (the others are not said)."""
    stmt: Any = select(Project).where(FUNDED)
    if organisation_id is not None:
        stmt = stmt.where(col(Project.organisation_id) == organisation_id)
    if funder_id is not None:
        named = select(col(Funder.id)).where(
            col(Funder.id) == funder_id, col(Funder.named_publicly).is_(True)
        )
        stmt = stmt.where(
            col(Project.id).in_(
                select(col(Commitment.project_id)).where(
                    col(Commitment.funder_id).in_(named),
                    col(Commitment.status) == CommitmentStatus.CONFIRMED,
                )
            )
        )
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


def public_project(session: Session, *, project_id: int) -> PublicProjectDetail:
    """A funded project as anyone may read it: who co-finances it (a funder not named
    publicly is said only by its level) and what its approved reports say it reached."""
    project = session.exec(select(Project).where(col(Project.id) == project_id, FUNDED)).first()
    if project is None:
        raise not_found("Project", project_id)
    described = _describe(session, [project])[0]
    funding = [
        PublicFunding(funder=name if named else None, level=str(level), amount=amount)
        for name, named, level, amount in session.execute(
            sa.select(
                col(Funder.name),
                col(Funder.named_publicly),
                col(Funder.level),
                col(Commitment.amount),
            )
            .join(Funder, col(Funder.id) == col(Commitment.funder_id))
            .where(
                col(Commitment.project_id) == project_id,
                col(Commitment.status) == CommitmentStatus.CONFIRMED,
            )
            .order_by(col(Commitment.amount).desc())
        ).all()
    ]
    results = [
        PublicResult(
            indicator=i.name,
            unit=i.unit,
            baseline=i.baseline,
            target=i.target,
            reached=i.latest,
        )
        for i in indicator_progress(session, project)
    ]
    return PublicProjectDetail(**described.model_dump(), co_financing=funding, results=results)


def public_funders(session: Session) -> list[PublicFunder]:
    """The funders named publicly that co-finance at least one project."""
    confirmed = select(col(Commitment.funder_id)).where(
        col(Commitment.status) == CommitmentStatus.CONFIRMED
    )
    rows = session.execute(
        sa.select(col(Funder.id), col(Funder.name))
        .where(col(Funder.named_publicly).is_(True), col(Funder.id).in_(confirmed))
        .order_by(col(Funder.name))
    ).all()
    return [PublicFunder(id=funder_id, name=name) for funder_id, name in rows]


def newest_projects(session: Session, *, limit: int = 50) -> list[tuple[PublicProject, datetime]]:
    """The latest funded projects with when they were funded, for the feed."""
    projects = session.exec(
        select(Project)
        .where(FUNDED)
        .order_by(col(Project.created_at).desc(), col(Project.id).desc())
        .limit(limit)
    ).all()
    return list(zip(_describe(session, projects), (p.created_at for p in projects), strict=True))


@dataclass(frozen=True)
class RegisterFacets:
    """What the register may be filtered by: only values that find funded projects."""

    years: list[int]
    countries: list[str]
    priorities: list[tuple[str, str]]
    funders: list[PublicFunder]


def register_facets(session: Session) -> RegisterFacets:
    funded = select(col(Project.proposal_id)).where(FUNDED)
    years = session.scalars(
        sa.select(col(Call.year))
        .where(col(Call.id).in_(select(col(Project.call_id)).where(FUNDED)))
        .distinct()
        .order_by(col(Call.year).desc())
    ).all()
    countries = session.scalars(
        sa.select(col(Proposal.country))
        .where(col(Proposal.id).in_(funded), col(Proposal.country).is_not(None))
        .distinct()
        .order_by(col(Proposal.country))
    ).all()
    priorities = session.execute(
        sa.select(col(CallPriority.code), sa.func.min(col(CallPriority.label)))
        .join(ProposalPriority, col(ProposalPriority.priority_id) == col(CallPriority.id))
        .where(col(ProposalPriority.proposal_id).in_(funded))
        .group_by(col(CallPriority.code))
        .order_by(col(CallPriority.code))
    ).all()
    return RegisterFacets(
        years=list(years),
        countries=[c for c in countries if c],
        priorities=[(code, label) for code, label in priorities],
        funders=public_funders(session),
    )
