"""The authorities' dashboard (and the secretariat's): money by year, call, priority,
country and association — requested, granted, committed, paid — each as a chart drawn on
the server with the table behind it, and the monitoring of the projects; scoped to the
viewer's funder as the statistics API is (a funder's staff see the projects it
co-finances and only its own money by funder). Every figure opens the list of projects
behind it; the same figures download as CSV and XLSX, the projects as IATI."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session

from fundflow.cofinancing.policies import money_rows_of
from fundflow.core.catalogues import translations
from fundflow.core.config import get_settings
from fundflow.core.database import ReadSessionFactoryDep
from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Forbidden, RuleViolation, not_found
from fundflow.core.formats import TableFormat, table_response
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.core.streaming import streamed_download
from fundflow.projects.service import projects_behind
from fundflow.statistics.funding import as_table, funding_statistics, rates_table
from fundflow.statistics.monitoring import monitoring_statistics
from fundflow.statistics.schemas import Dimension
from fundflow.transparency import iati
from fundflow.web.charts import bar_chart
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import countries

router = APIRouter()

SECTIONS = (
    (Dimension.YEAR, N_("By year")),
    (Dimension.CALL, N_("By call")),
    (Dimension.PRIORITY, N_("By priority")),
    (Dimension.COUNTRY, N_("By country")),
    (Dimension.ORGANISATION, N_("By association")),
)
# The filter each dimension opens the list of projects with.
FILTER_OF = {
    Dimension.YEAR: ("annee", "year"),
    Dimension.CALL: ("appel", "call_id"),
    Dimension.PRIORITY: ("priorite", "priority"),
    Dimension.COUNTRY: ("pays", "country"),
    Dimension.ORGANISATION: ("association", "organisation_id"),
}


@dataclass(frozen=True)
class Section:
    dimension: Dimension
    title: str
    rows: list[tuple[str, str, dict[str, Any]]]  # label, filter query, figures
    chart: Markup


def _scope(viewer: SignedInViewer) -> tuple[int | None, int | None]:
    """The funder whose projects are counted, and whose money rows are shown."""
    if not viewer.actor.has(Role.AUTHORITY, Role.SECRETARIAT):
        raise Forbidden(N_("The dashboard is for the funders' staff and the secretariat."))
    return iati.scoped_funder(viewer.actor, None), money_rows_of(viewer.actor)


def _label(dimension: Dimension, row: dict[str, Any], names: dict[str, str]) -> str:
    if dimension == Dimension.COUNTRY:
        return names.get(row["country"], row["country"] or "—")
    key = {
        Dimension.YEAR: "year",
        Dimension.CALL: "call",
        Dimension.PRIORITY: "priority_label",
        Dimension.ORGANISATION: "organisation",
    }[dimension]
    return str(row[key])


def _filter_value(dimension: Dimension, row: dict[str, Any]) -> str:
    return str(row[FILTER_OF[dimension][1]])


Year = Annotated[str, Query(max_length=4)]


@router.get("/tableau-de-bord")
def dashboard(
    request: Request, session: SessionDep, viewer: SignedInDep, annee: Year = ""
) -> Response:
    funder, rows_for = _scope(viewer)
    year = int(annee) if annee.isdigit() else None
    try:
        return _dashboard(request, session, viewer, year, annee, funder, rows_for)
    except RuleViolation as no_rate:
        # A call in a currency without a rate today: said, with where to enter one.
        context: dict[str, Any] = {
            "sections": [],
            "totals": None,
            "missing_rate": no_rate.errors[0]["message"] if no_rate.errors else no_rate.detail,
            "monitoring": monitoring_statistics(
                session, today=utcnow().date(), year=year, funder_id=funder
            ),
            "annee": annee if year else "",
        }
        return render(request, "dashboard.html", context)


def _dashboard(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    year: int | None,
    annee: str,
    funder: int | None,
    rows_for: int | None,
) -> Response:
    say = translations(viewer.language).gettext
    names = dict(countries(viewer.language))
    sections = []
    for dimension, title in SECTIONS:
        stats = funding_statistics(
            session, group_by=[dimension], year=year, funder_id=funder, rows_for_funder=rows_for
        )
        rows = [
            (
                _label(dimension, row, names),
                f"{FILTER_OF[dimension][0]}={_filter_value(dimension, row)}"
                + (f"&annee={year}" if year and dimension != Dimension.YEAR else ""),
                row,
            )
            for row in stats.rows
        ]
        chart = bar_chart(
            [label for label, _, _ in rows],
            {
                say(N_("Granted")): [Decimal(r["granted"]) for _, _, r in rows],
                say(N_("Committed")): [Decimal(r["committed"]) for _, _, r in rows],
                say(N_("Paid")): [Decimal(r["disbursed"]) for _, _, r in rows],
            },
        )
        sections.append(Section(dimension, title, rows, chart))
    overall = funding_statistics(
        session, group_by=[], year=year, funder_id=funder, rows_for_funder=rows_for
    )
    context = {
        "sections": sections,
        "totals": overall.totals,
        "currency": overall.currency,
        "rates": overall.rates,
        "missing_rate": None,
        "monitoring": monitoring_statistics(
            session, today=utcnow().date(), year=year, funder_id=funder
        ),
        "annee": annee if year else "",
    }
    return render(request, "dashboard.html", context)


@router.get("/tableau-de-bord/projets")
def projects_behind_a_figure(
    request: Request,
    session: SessionDep,
    viewer: SignedInDep,
    annee: Year = "",
    appel: Annotated[str, Query(max_length=12)] = "",
    pays: Annotated[str, Query(max_length=2)] = "",
    priorite: Annotated[str, Query(max_length=60)] = "",
    association: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """The co-financed projects behind a figure of the dashboard."""
    _scope(viewer)
    listed = projects_behind(
        session,
        actor=viewer.actor,
        year=int(annee) if annee.isdigit() else None,
        call_id=int(appel) if appel.isdigit() else None,
        country=pays.upper() or None,
        priority=priorite or None,
        organisation_id=int(association) if association.isdigit() else None,
    )
    return render(request, "dashboard_projects.html", {"projects": listed})


@router.get("/tableau-de-bord/chiffres.{extension}")
def dashboard_figures(
    extension: str,
    session: SessionDep,
    viewer: SignedInDep,
    par: Annotated[Dimension, Query()] = Dimension.CALL,
    annee: Year = "",
) -> Response:
    """The dashboard's figures by one dimension, as CSV or XLSX."""
    funder, rows_for = _scope(viewer)
    formats = {"csv": TableFormat.CSV, "xlsx": TableFormat.XLSX}
    if extension not in formats:
        raise not_found("Page", extension)
    year = int(annee) if annee.isdigit() else None
    stats = funding_statistics(
        session, group_by=[par], year=year, funder_id=funder, rows_for_funder=rows_for
    )
    header, rows = as_table(stats)
    return table_response(
        formats[extension],
        header,
        rows,
        name=f"funding-{par}",
        bom=True,
        more_sheets=[rates_table(stats)],
    )


@router.get("/tableau-de-bord/iati.xml")
def dashboard_iati(open_session: ReadSessionFactoryDep, viewer: SignedInDep) -> Response:
    funder, _ = _scope(viewer)
    settings = get_settings()
    return streamed_download(
        open_session,
        lambda session: iati.stream_activities(session, settings, funder_id=funder),
        media_type="application/xml",
        filename="iati-activities.xml",
    )
