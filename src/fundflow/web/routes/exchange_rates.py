"""The exchange rates on a page: everyone signed in reads them; the secretariat records
one, imports a month's file, or deletes one entered by mistake."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import UploadFile

from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, NotFound, RuleViolation
from fundflow.core.inputs import Id
from fundflow.core.roles import Role
from fundflow.funders import rates
from fundflow.funders.schemas import ExchangeRateCreate
from fundflow.web import nested_forms
from fundflow.web.changes import attempt
from fundflow.web.csrf import require_token
from fundflow.web.deps import SignedInDep, SignedInViewer, require_secretariat
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep

router = APIRouter()

PAGE = "/taux-de-change"
FIELDS = ("valid_from", "base", "quote", "rate", "source")
ONLY_THE_SECRETARIAT = N_("Only the secretariat records exchange rates.")


def _page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    errors: FormErrors | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "rates": rates.recent_rates(session),
        "keeps": viewer.actor.has(Role.SECRETARIAT),
        "errors": errors or FormErrors(),
        "typed": typed or {},
    }
    return render(request, "exchange_rates.html", context, status_code=status_code)


@router.get(PAGE)
def exchange_rates(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    return _page(request, session, viewer)


@router.post(PAGE)
def add_rate(request: Request, session: SessionDep, viewer: SignedInDep, form: FormDep) -> Response:
    require_secretariat(viewer, ONLY_THE_SECRETARIAT)
    typed = {key: str(form.get(key) or "").strip() for key in FIELDS}
    typed["base"], typed["quote"] = typed["base"].upper(), typed["quote"].upper()
    errors = FormErrors()
    try:
        if typed["base"] and typed["base"] == typed["quote"]:
            errors.add("quote", N_("A rate is between two different currencies."))
        else:
            data = ExchangeRateCreate.model_validate(typed)
            attempt(session, lambda: rates.add_rate(session, actor=viewer.actor, data=data))
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except Conflict as refused:
        errors.add("valid_from", refused.detail)
    if errors:
        return _page(request, session, viewer, errors, typed, status_code=400)
    return RedirectResponse(f"{PAGE}?ajoute=1", status_code=303)


@router.post(PAGE + "/import")
async def import_rates(
    request: Request, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    """An upload: asgi-csrf lets it through unread, so its token is checked here."""
    require_token(request, form)
    require_secretariat(viewer, ONLY_THE_SECRETARIAT)
    upload = form.get("file")
    errors = FormErrors()
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add("file", N_("Choose a file to import."))
    else:
        content = await upload.read()
        try:
            added, unchanged = attempt(
                session, lambda: rates.import_rates(session, actor=viewer.actor, content=content)
            )
        except RuleViolation as refused:
            for item in refused.errors:
                errors.add("file", item.get("message", ""))
    if errors:
        return _page(request, session, viewer, errors, status_code=400)
    return RedirectResponse(f"{PAGE}?importes={added}&inchanges={unchanged}", status_code=303)


@router.post(PAGE + "/{rate_id}/suppression")
def delete_rate(rate_id: Id, session: SessionDep, viewer: SignedInDep) -> Response:
    require_secretariat(viewer, ONLY_THE_SECRETARIAT)
    try:
        rates.delete_rate(session, actor=viewer.actor, rate_id=rate_id)
    except NotFound:
        pass  # deleted meanwhile, in another tab: the page shows the rates as they are
    return RedirectResponse(f"{PAGE}?supprime=1", status_code=303)
