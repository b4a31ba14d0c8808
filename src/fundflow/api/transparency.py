from typing import Annotated

from fastapi import Depends, Header, Query
from fastapi.responses import StreamingResponse

from fundflow.api.deps import require_roles
from fundflow.core.actor import Actor
from fundflow.core.catalogues import from_accept_language
from fundflow.core.config import get_settings
from fundflow.core.database import ReadSessionFactoryDep
from fundflow.core.deps import SessionDep
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page, PageDep
from fundflow.core.reference import CountryCode
from fundflow.core.roles import Role
from fundflow.core.routing import api_router
from fundflow.core.streaming import streamed_download
from fundflow.lifecycle import nominations
from fundflow.lifecycle.nominations import NominationForNominee, NomineeAnswer
from fundflow.transparency import awards, directory, iati, service
from fundflow.transparency.awards import PublicLaureate
from fundflow.transparency.directory import PublicOrganisation, PublicOrganisationDetail
from fundflow.transparency.schemas import PublicProject, PublicProjectDetail

router = api_router(tags=["public"])


def _reader_language(accept_language: Annotated[str | None, Header()] = None) -> str:
    """Labels in the client's language: French unless it asks for English."""
    return from_accept_language(accept_language) or "fr"


LanguageDep = Annotated[str, Depends(_reader_language)]
Reader = Annotated[Actor, Depends(require_roles(Role.SECRETARIAT, Role.AUTHORITY))]


@router.get("/public/projects", response_model=Page[PublicProject])
def public_projects(
    session: SessionDep,
    page: PageDep,
    year: Annotated[Id | None, Query(ge=2000, le=2100)] = None,
    country: Annotated[CountryCode | None, Query()] = None,
    priority: Annotated[str | None, Query(max_length=60)] = None,
    funder_id: Annotated[Id | None, Query()] = None,
) -> Page[PublicProject]:
    """Funded projects, for everyone (no authentication): title, association, where,
    amount granted, state, summary and priorities; `funder_id` finds those a funder
    named publicly co-finances."""
    items, cursor = service.list_public_projects(
        session, page=page, year=year, country=country, priority=priority, funder_id=funder_id
    )
    return Page(items=items, next_cursor=cursor)


@router.get("/public/projects/{project_id}", response_model=PublicProjectDetail)
def public_project(project_id: Id, session: SessionDep) -> PublicProjectDetail:
    """One funded project for everyone: who co-finances it (a funder that asked not to be
    named, by its level only) and the results its approved reports give."""
    return service.public_project(session, project_id=project_id)


@router.get("/public/organisations", response_model=list[PublicOrganisation])
def public_organisations(
    session: SessionDep,
    origin: Annotated[CountryCode | None, Query()] = None,
    theme: Annotated[str | None, Query(max_length=60)] = None,
    country: Annotated[CountryCode | None, Query()] = None,
) -> list[PublicOrganisation]:
    """The directory of associations and initiatives, for everyone: the associations that
    opted in, with what each chose to show; filtered by origin country, theme (a call
    priority's code) or country where they act."""
    return directory.public_directory(session).matching(origin=origin, theme=theme, country=country)


@router.get("/public/organisations/{organisation_id}", response_model=PublicOrganisationDetail)
def public_organisation(organisation_id: Id, session: SessionDep) -> PublicOrganisationDetail:
    """A listed association: its public projects, its initiatives and the similar
    initiatives of other listed associations."""
    return directory.public_organisation(session, organisation_id=organisation_id)


@router.get(
    "/exports/iati", tags=["statistics"], responses={200: {"content": {"application/xml": {}}}}
)
def iati_export(
    open_session: ReadSessionFactoryDep,
    actor: Reader,
    funder_id: Annotated[Id | None, Query()] = None,
) -> StreamingResponse:
    """IATI 2.03 `iati-activities` of the funded projects (optionally those one funder
    co-finances), streamed."""
    settings, funder = get_settings(), iati.scoped_funder(actor, funder_id)
    return streamed_download(
        open_session,
        lambda session: iati.stream_activities(session, settings, funder_id=funder),
        media_type="application/xml",
        filename="iati-activities.xml",
    )


@router.get("/public/awards", response_model=Page[PublicLaureate])
def public_awards(
    session: SessionDep,
    page: PageDep,
    round_id: Annotated[Id | None, Query(description="An award round (its call's id)")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[PublicLaureate]:
    """The laureates of announced award rounds (closed or archived), for everyone: round,
    category, laureate, citation and prize. Nothing of the nominations not awarded."""
    items, cursor = awards.list_laureates(session, page=page, round_id=round_id, year=year)
    return Page(items=items, next_cursor=cursor)


@router.get("/public/awards/{laureate_id}", response_model=PublicLaureate)
def public_award(laureate_id: Id, session: SessionDep) -> PublicLaureate:
    return awards.laureate(session, laureate_id)


@router.get("/nominee-answer", response_model=NominationForNominee)
def nomination_for_nominee(
    session: SessionDep,
    token: Annotated[str, Query(min_length=10, max_length=100)],
    language: LanguageDep,
) -> NominationForNominee:
    """The nomination behind a nominee's e-mailed link (the link's secret is `token`)."""
    return nominations.nomination_for_nominee(session, token, language)


@router.post("/nominee-answer", response_model=NominationForNominee)
def answer_nomination(
    given: NomineeAnswer, session: SessionDep, language: LanguageDep
) -> NominationForNominee:
    """The nominee accepts the nomination, or declines it, which withdraws it from the
    round; 404 for a link that is not one, 409 once the jury has decided."""
    return nominations.answer(session, given, language)
