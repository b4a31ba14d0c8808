"""The directory of associations and initiatives on the pages: for everyone, the
associations that opted in, filtered by origin, theme and country, on a world map shaded
by the number of initiatives; each association's page with its projects, initiatives and
the similar initiatives of others; and, for an association's members, the form that
keeps its entry (opting in, choosing what is shown)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from fundflow.calls.service import priority_labels
from fundflow.core.catalogues import translations
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, Forbidden
from fundflow.core.messages import N_
from fundflow.organisations import directory as entries
from fundflow.organisations import service as organisations
from fundflow.organisations.schemas import DirectoryEntryIn
from fundflow.transparency import directory
from fundflow.web import nested_forms
from fundflow.web.changes import attempt
from fundflow.web.deps import SignedInDep, SignedInViewer, ViewerDep
from fundflow.web.forms import FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep, countries
from fundflow.web.world_map import world_map

router = APIRouter()

Code = Annotated[str, Query(max_length=60)]


def _code(value: str) -> str | None:
    return value.upper() if len(value) == 2 and value.isalpha() else None


@router.get("/annuaire")
def directory_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    origine: Code = "",
    theme: Code = "",
    pays: Code = "",
) -> Response:
    public = directory.public_directory(session)
    everyone = public.organisations
    context = {
        "listed": public.matching(origin=_code(origine), theme=theme or None, country=_code(pays)),
        "by_country": public.by_country.most_common(),
        "origins": sorted({o for org in everyone for o in org.origins}),
        "themes": sorted({(t.code, t.label) for org in everyone for t in org.themes}),
        "chosen": {"origine": origine, "theme": theme, "pays": pays},
        "country_names": dict(countries(viewer.language)),
    }
    return render(request, "directory.html", context)


@router.get("/annuaire/carte.svg")
def directory_map(session: SessionDep, viewer: ViewerDep) -> Response:
    counts = directory.public_directory(session).by_country
    label = translations(viewer.language).gettext(N_("Initiatives"))
    svg = world_map(counts, "/annuaire?pays={code}", label)
    return Response(svg, media_type="image/svg+xml")


@router.get("/annuaire/{organisation_id}")
def directory_entry_page(
    request: Request, organisation_id: int, session: SessionDep, viewer: ViewerDep
) -> Response:
    context = {
        "organisation": directory.public_organisation(session, organisation_id=organisation_id),
        "country_names": dict(countries(viewer.language)),
    }
    return render(request, "directory_entry.html", context)


def _own_organisation(session: Session, viewer: SignedInViewer) -> Any:
    if viewer.actor.organisation_id is None:
        raise Forbidden(N_("The directory entry is kept by an association's members."))
    organisation = organisations.get_organisation(
        session, actor=viewer.actor, organisation_id=viewer.actor.organisation_id
    )
    entries.require_entry_editor(viewer.actor, organisation)
    return organisation


def _entry_form(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    form: dict[str, Any],
    errors: FormErrors,
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "themes": priority_labels(session),
        "country_options": countries(viewer.language),
    }
    return render(request, "directory_form.html", context, status_code=400 if errors else 200)


@router.get("/mon-association/annuaire")
def edit_directory_entry(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    organisation = _own_organisation(session, viewer)
    entry = entries.entry_of(session, organisation.id)
    form = nested_forms.as_rows(
        {
            "listed": "1" if entry.listed else "",
            "presentation": entry.presentation or "",
            "themes": list(entry.themes),
            "initiatives": [*entry.initiatives, {}],
            "show_city": "1" if entry.show_city else "",
            "show_origins": "1" if entry.show_origins else "",
            "show_website": "1" if entry.show_website else "",
            "version": entry.version if entry.listed or entry.presentation else "",
        }
    )
    return _entry_form(request, session, viewer, form, FormErrors())


@router.post("/mon-association/annuaire")
def save_directory_entry(
    request: Request, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    organisation = _own_organisation(session, viewer)
    tree = nested_forms.parse(form.multi_items())
    tree["themes"] = [str(v) for v in form.getlist("themes")]
    errors = FormErrors()
    try:
        data = DirectoryEntryIn.model_validate(
            {
                "listed": form.get("listed") == "1",
                "presentation": str(form.get("presentation") or "").strip() or None,
                "themes": tree["themes"],
                "initiatives": [
                    {key: value for key, value in row.items() if value}
                    for row in tree.get("initiatives", [])
                    if row.get("title") or row.get("country")
                ],
                "show_city": form.get("show_city") == "1",
                "show_origins": form.get("show_origins") == "1",
                "show_website": form.get("show_website") == "1",
                "version": int(v) if (v := str(form.get("version") or "")).isdigit() else None,
            }
        )
        attempt(
            session,
            lambda: entries.save_entry(
                session, actor=viewer.actor, organisation=organisation, data=data
            ),
        )
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except Conflict:
        errors.add("presentation", N_("Another member saved the entry meanwhile: check it."))
    if errors:
        return _entry_form(request, session, viewer, tree, errors)
    return RedirectResponse("/mon-association/annuaire?enregistre=1", status_code=303)
