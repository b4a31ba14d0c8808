"""The public register of funded projects, for everyone (no sign-in): the list with its
filters (year, country, priority, funder named publicly), a page per project, and its open
data from the same page — CSV, the IATI file, an Atom feed of newly funded projects."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from lxml import etree

from fundflow.core.config import get_settings
from fundflow.core.database import ReadSessionFactoryDep
from fundflow.core.deps import SessionDep
from fundflow.core.errors import InvalidInput
from fundflow.core.formats import csv_response, table_csv
from fundflow.core.pagination import PageParams, decode_cursor
from fundflow.core.streaming import streamed_download
from fundflow.transparency import iati
from fundflow.transparency import service as register
from fundflow.transparency.schemas import PublicProject
from fundflow.web.deps import ViewerDep
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import countries

router = APIRouter()

PAGE = 25
EVERY = 10_000
ATOM = "http://www.w3.org/2005/Atom"


def _filters(annee: str, pays: str, priorite: str, bailleur: str) -> dict[str, object]:
    """The filters as the service takes them; a value that cannot be one is ignored."""
    return {
        "year": int(annee) if annee.isdigit() else None,
        "country": pays.upper() if len(pays) == 2 and pays.isalpha() else None,
        "priority": priorite[:60] or None,
        "funder_id": int(bailleur) if bailleur.isdigit() else None,
    }


Filter = Annotated[str, Query(max_length=60)]


@router.get("/projets-finances")
def register_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    annee: Filter = "",
    pays: Filter = "",
    priorite: Filter = "",
    bailleur: Filter = "",
    suite: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    try:
        after = decode_cursor(suite) if suite else None
    except InvalidInput:  # a cursor typed by hand: the first page
        after = None
    projects, cursor = register.list_public_projects(
        session,
        page=PageParams(limit=PAGE, after_id=after),
        **_filters(annee, pays, priorite, bailleur),  # type: ignore[arg-type]
    )
    chosen = {"annee": annee, "pays": pays, "priorite": priorite, "bailleur": bailleur}
    context = {
        "projects": projects,
        "next_cursor": cursor,
        "facets": register.register_facets(session),
        "chosen": chosen,
        "query": "&".join(f"{k}={v}" for k, v in chosen.items() if v),
        "country_names": dict(countries(viewer.language)),
    }
    return render(request, "register.html", context)


@router.get("/projets-finances.csv")
def register_csv(
    session: SessionDep,
    annee: Filter = "",
    pays: Filter = "",
    priorite: Filter = "",
    bailleur: Filter = "",
) -> Response:
    projects, _ = register.list_public_projects(
        session,
        page=PageParams(limit=EVERY),
        **_filters(annee, pays, priorite, bailleur),  # type: ignore[arg-type]
    )
    return csv_response(_as_csv(projects), filename="projets-finances.csv")


def _as_csv(projects: list[PublicProject]) -> str:
    """The register as one row a project, its columns the public model's fields (the
    priorities as their codes)."""
    header = list(PublicProject.model_fields)
    rows = []
    for project in projects:
        values = project.model_dump(mode="json")
        values["priorities"] = "; ".join(p["code"] for p in values["priorities"])
        rows.append([values[name] if values[name] is not None else "" for name in header])
    return table_csv(header, rows)


@router.get("/projets-finances/iati.xml")
def register_iati(open_session: ReadSessionFactoryDep) -> StreamingResponse:
    """The IATI 2.03 file of every funded project, for everyone."""
    settings = get_settings()
    return streamed_download(
        open_session,
        lambda session: iati.stream_activities(session, settings, public=True),
        media_type="application/xml",
        filename="iati-activities.xml",
    )


@router.get("/projets-finances.atom")
def register_feed(request: Request, session: SessionDep) -> Response:
    """An Atom feed of the newly funded projects."""
    base = str(request.base_url).rstrip("/")
    newest = register.newest_projects(session)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    etree.SubElement(feed, f"{{{ATOM}}}title").text = "fundflow – projets financés"
    etree.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/projets-finances"
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/projets-finances.atom")
    etree.SubElement(feed, f"{{{ATOM}}}link", href=f"{base}/projets-finances")
    updated = max((when for _, when in newest), default=datetime.now(UTC))
    etree.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    for project, funded_at in newest:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        page = f"{base}/projets-finances/{project.project_id}"
        etree.SubElement(entry, f"{{{ATOM}}}title").text = project.title
        etree.SubElement(entry, f"{{{ATOM}}}id").text = page
        etree.SubElement(entry, f"{{{ATOM}}}link", href=page)
        etree.SubElement(entry, f"{{{ATOM}}}updated").text = funded_at.isoformat()
        author = etree.SubElement(entry, f"{{{ATOM}}}author")
        etree.SubElement(author, f"{{{ATOM}}}name").text = project.organisation
        etree.SubElement(entry, f"{{{ATOM}}}summary").text = project.summary or project.title
    body = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Response(body, media_type="application/atom+xml")


@router.get("/projets-finances/{project_id}")
def public_project_page(
    request: Request, project_id: int, session: SessionDep, viewer: ViewerDep
) -> Response:
    context = {
        "project": register.public_project(session, project_id=project_id),
        "country_names": dict(countries(viewer.language)),
    }
    return render(request, "public_project.html", context)
