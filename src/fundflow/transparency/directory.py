"""The public directory of associations and initiatives: the associations that opted in,
with what each chose to show — origins, themes (the calls' priorities), where it acts
(its funded projects and declared initiatives), its funded projects — and the similar
initiatives of other listed associations, found with the similarity fingerprints kept to
screen duplicate requests, so that the federation can link those working on the same
thing in the same place. Nothing personal: no person, no e-mail."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, select

from fundflow.calls.models import CallPriority
from fundflow.core.errors import not_found
from fundflow.core.inputs import Id
from fundflow.core.pagination import PageParams
from fundflow.organisations.models import DirectoryEntry, Organisation
from fundflow.projects.models import Project
from fundflow.proposals.models import Proposal, ProposalPriority
from fundflow.proposals.similarity.service import find_similar
from fundflow.transparency.schemas import PublicProject
from fundflow.transparency.service import list_public_projects


class PublicTheme(BaseModel):
    code: str
    label: str


class PublicInitiative(BaseModel):
    title: str
    country: str
    locality: str | None
    theme: str | None


class PublicOrganisation(BaseModel):
    id: Id
    name: str
    city: str | None
    origins: list[str]
    website: str | None
    presentation: str | None
    themes: list[PublicTheme]
    countries: list[str]
    funded_projects: int


class SimilarInitiative(BaseModel):
    organisation_id: Id
    organisation: str
    title: str
    country: str | None
    locality: str | None
    project_id: Id | None
    reasons: list[str]


class PublicOrganisationDetail(PublicOrganisation):
    initiatives: list[PublicInitiative]
    projects: list[PublicProject]
    similar_initiatives: list[SimilarInitiative]


@dataclass(frozen=True)
class _Listed:
    organisation: Organisation
    entry: DirectoryEntry
    # Country, locality and priority codes of each of its funded projects.
    projects: list[tuple[str | None, str | None, list[str]]]


def _listed(
    session: Session, organisation_id: int | None = None, *, everyone: bool = False
) -> list[_Listed]:
    """The associations that opted in (``everyone``: every association, for the
    secretariat), with their funded projects' places and themes: three statements
    whatever their number."""
    stmt = (
        select(Organisation, DirectoryEntry)
        .outerjoin(DirectoryEntry, col(DirectoryEntry.organisation_id) == col(Organisation.id))
        .order_by(col(Organisation.name))
    )
    if not everyone:
        stmt = stmt.where(col(DirectoryEntry.listed).is_(True))
    if organisation_id is not None:
        stmt = stmt.where(col(Organisation.id) == organisation_id)
    rows = session.exec(stmt).all()
    ids = [organisation.id for organisation, _ in rows]
    funded = session.execute(
        sa.select(
            col(Proposal.id),
            col(Proposal.organisation_id),
            col(Proposal.country),
            col(Proposal.locality),
        )
        .join(Project, col(Project.proposal_id) == col(Proposal.id))
        .where(col(Proposal.organisation_id).in_(ids))
    ).all()
    themes: dict[int, list[str]] = {pid: [] for pid, *_ in funded}
    for proposal_id, code in session.execute(
        sa.select(col(ProposalPriority.proposal_id), col(CallPriority.code))
        .join(CallPriority, col(CallPriority.id) == col(ProposalPriority.priority_id))
        .where(col(ProposalPriority.proposal_id).in_(list(themes)))
    ).all():
        themes[proposal_id].append(code)
    places: dict[int, list[tuple[str | None, str | None, list[str]]]] = {i: [] for i in ids if i}
    for proposal_id, organisation_id_, country, locality in funded:
        places[organisation_id_].append((country, locality, themes[proposal_id]))
    return [
        _Listed(
            o,
            e or DirectoryEntry(organisation_id=o.id or 0, themes=[], initiatives=[]),
            places.get(o.id or 0, []),
        )
        for o, e in rows
    ]


def _theme_labels(session: Session) -> dict[str, str]:
    return dict(
        session.execute(
            sa.select(col(CallPriority.code), sa.func.min(col(CallPriority.label))).group_by(
                col(CallPriority.code)
            )
        ).all()
    )


def _themes_of(listed: _Listed) -> list[str]:
    declared = list(listed.entry.themes)
    from_projects = [code for *_, codes in listed.projects for code in codes]
    return list(dict.fromkeys(declared + from_projects))


def _countries_of(listed: _Listed) -> list[str]:
    places = [country for country, *_ in listed.projects if country]
    places += [i["country"] for i in listed.entry.initiatives if i.get("country")]
    return list(dict.fromkeys(places))


def _public(listed: _Listed, labels: dict[str, str]) -> PublicOrganisation:
    organisation, entry = listed.organisation, listed.entry
    return PublicOrganisation(
        id=organisation.id or 0,
        name=organisation.name,
        city=organisation.seat_city if entry.show_city else None,
        origins=list(organisation.diaspora_origins) if entry.show_origins else [],
        website=organisation.website if entry.show_website else None,
        presentation=entry.presentation,
        themes=[PublicTheme(code=c, label=labels.get(c, c)) for c in _themes_of(listed)],
        countries=_countries_of(listed),
        funded_projects=len(listed.projects),
    )


@dataclass(frozen=True)
class Directory:
    """Every listed association as the public sees it, and what the map shades: how many
    funded projects and declared initiatives each country has."""

    organisations: list[PublicOrganisation]
    by_country: Counter[str]

    def matching(
        self, *, origin: str | None = None, theme: str | None = None, country: str | None = None
    ) -> list[PublicOrganisation]:
        return [
            o
            for o in self.organisations
            if (origin is None or origin in o.origins)
            and (theme is None or theme in {t.code for t in o.themes})
            and (country is None or country in o.countries)
        ]


def public_directory(session: Session) -> Directory:
    labels = _theme_labels(session)
    everyone = _listed(session)
    counted: Counter[str] = Counter()
    for listed in everyone:
        counted.update(country for country, *_ in listed.projects if country)
        counted.update(i["country"] for i in listed.entry.initiatives if i.get("country"))
    return Directory([_public(listed, labels) for listed in everyone], counted)


def public_organisation(session: Session, *, organisation_id: int) -> PublicOrganisationDetail:
    found = _listed(session, organisation_id)
    if not found:
        raise not_found("Organisation", organisation_id)
    listed = found[0]
    summary = _public(listed, _theme_labels(session))
    projects, _ = list_public_projects(
        session, page=PageParams(limit=200), organisation_id=organisation_id
    )
    return PublicOrganisationDetail(
        **summary.model_dump(),
        initiatives=[PublicInitiative.model_validate(i) for i in listed.entry.initiatives],
        projects=projects,
        similar_initiatives=similar_initiatives(session, listed),
    )


def similar_initiatives(
    session: Session, listed: _Listed, *, everyone: bool = False
) -> list[SimilarInitiative]:
    """Funded projects of other listed associations (``everyone``: of any association,
    for the secretariat) that the similarity screening finds alike (same place, same kind
    of work), then their declared initiatives on one of the same themes in one of the
    same countries."""
    others = {
        o.organisation.id: o
        for o in _listed(session, everyone=everyone)
        if o.organisation.id != listed.organisation.id
    }
    found: dict[tuple[int, str], SimilarInitiative] = {}
    own_projects = session.exec(
        select(Proposal)
        .join(Project, col(Project.proposal_id) == col(Proposal.id))
        .where(col(Proposal.organisation_id) == listed.organisation.id)
    ).all()
    for proposal in own_projects:
        for match in find_similar(session, proposal):
            candidate = match.candidate
            other = others.get(candidate.profile.organisation_id)
            if other is None or candidate.project_id is None:
                continue
            key = (candidate.profile.organisation_id, candidate.profile.title)
            found.setdefault(
                key,
                SimilarInitiative(
                    organisation_id=candidate.profile.organisation_id,
                    organisation=candidate.organisation,
                    title=candidate.profile.title,
                    country=candidate.profile.country,
                    locality=candidate.profile.locality,
                    project_id=candidate.project_id,
                    reasons=[reason.field for reason in match.similarity.reasons],
                ),
            )
    themes, countries = set(_themes_of(listed)), set(_countries_of(listed))
    for other in others.values():
        for initiative in other.entry.initiatives:
            if initiative.get("country") in countries and initiative.get("theme") in themes:
                key = (other.organisation.id or 0, initiative["title"])
                found.setdefault(
                    key,
                    SimilarInitiative(
                        organisation_id=other.organisation.id or 0,
                        organisation=other.organisation.name,
                        title=initiative["title"],
                        country=initiative["country"],
                        locality=initiative.get("locality"),
                        project_id=None,
                        reasons=["country", "theme"],
                    ),
                )
    return list(found.values())


def initiatives_like_those_of(session: Session, *, organisation_id: int) -> list[SimilarInitiative]:
    """For the secretariat, building networks: the similar initiatives of any association,
    listed in the directory or not, beside any association's work."""
    found = _listed(session, organisation_id, everyone=True)
    if not found:
        raise not_found("Organisation", organisation_id)
    return similar_initiatives(session, found[0], everyone=True)
