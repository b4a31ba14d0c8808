"""The second factor in the browser: the sign-in's second step, and setting up an
authenticator app (QR code, first code, recovery codes), renewing the recovery codes or
turning it off."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fundflow.accounts import service, sessions, two_factor
from fundflow.accounts.models import SessionRestriction
from fundflow.core.catalogues import translations
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import Conflict, InvalidInput, TooManyAttempts, Unauthenticated
from fundflow.web.deps import (
    CODE_PAGE,
    TWO_FACTOR_PAGE,
    SignedInAtAnyStageDep,
    SignedInDep,
    SignedInViewer,
    ViewerDep,
)
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.auth import safe_next, signed_in_response

router = APIRouter()

Code = Annotated[str, Form(max_length=40)]


@router.get(CODE_PAGE)
def code_form(request: Request, seen: ViewerDep, next: str = "/") -> Response:
    if seen.awaiting_code is None:
        return RedirectResponse("/connexion", status_code=303)
    return render(request, "sign_in_code.html", {"next": safe_next(next), "errors": FormErrors()})


@router.post(CODE_PAGE)
def give_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    seen: ViewerDep,
    code: Code = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    awaiting = seen.awaiting_code
    if awaiting is None:  # the ten minutes are over, or signed out meanwhile
        return RedirectResponse("/connexion", status_code=303)
    errors = FormErrors()
    if not code.strip():
        errors.add("code", N_("Enter the code your app shows, or a recovery code."))
    else:
        try:
            service.complete_sign_in(
                session,
                user=awaiting.user,
                otp=code,
                client_address=request.client.host if request.client else "unknown",
                settings=settings,
            )
        except TooManyAttempts:
            errors.add("code", N_("Too many attempts: wait a quarter of an hour and try again."))
        except Unauthenticated:
            errors.add("code", N_("This code is not right, or it was used already."))
    if errors:
        context = {"next": safe_next(next), "errors": errors}
        return render(request, "sign_in_code.html", context, status_code=400)
    return signed_in_response(
        request,
        session,
        settings,
        user=awaiting.user,
        previous=seen,
        target=safe_next(next),
        restriction=None,
    )


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: SignedInViewer,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    status = two_factor.status_of(session, viewer.user, settings)
    enrolment = two_factor.pending(session, viewer.user)
    context: dict[str, Any] = {
        "status": status,
        "enrolment": enrolment,
        "errors": errors or FormErrors(),
        "restricted": viewer.sign_in.restriction == SessionRestriction.ENROLMENT,
    }
    if enrolment is not None:
        title = translations(viewer.language).gettext(N_("QR code to scan with your app"))
        context["qr_svg"] = enrolment.qr_svg(title=title)
        context["secret_groups"] = [
            enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4)
        ]
    return render(request, "two_factor.html", context, status_code=status_code)


@router.get(TWO_FACTOR_PAGE)
def two_factor_page(
    request: Request, session: SessionDep, settings: SettingsDep, viewer: SignedInAtAnyStageDep
) -> Response:
    return _page(request, session, settings, viewer)


@router.post(TWO_FACTOR_PAGE + "/debut")
def begin(session: SessionDep, viewer: SignedInAtAnyStageDep) -> Response:
    try:
        two_factor.begin(session, viewer.user)
    except Conflict:  # set up meanwhile, in another tab
        pass
    return RedirectResponse(TWO_FACTOR_PAGE, status_code=303)


@router.post(TWO_FACTOR_PAGE + "/confirmation")
def confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: SignedInAtAnyStageDep,
    code: Code = "",
) -> Response:
    try:
        codes = two_factor.confirm(session, viewer.user, code)
    except (InvalidInput, Conflict) as refused:
        return _refused(request, session, settings, viewer, refused)
    sessions.lift_restriction(session, session_id=viewer.sign_in.session_id)
    return _recovery_codes(request, codes, first=True)


@router.post(TWO_FACTOR_PAGE + "/codes-de-secours")
def renew_recovery_codes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: SignedInDep,
    code: Code = "",
) -> Response:
    try:
        codes = two_factor.renew_recovery_codes(session, viewer.user, code)
    except (InvalidInput, Conflict) as refused:
        return _refused(request, session, settings, viewer, refused)
    return _recovery_codes(request, codes, first=False)


@router.post(TWO_FACTOR_PAGE + "/desactivation")
def turn_off(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: SignedInDep,
    code_off: Code = "",
) -> Response:
    try:
        two_factor.turn_off(session, viewer.user, code_off, settings)
    except (InvalidInput, Conflict) as refused:
        return _refused(request, session, settings, viewer, refused, field="code_off")
    return RedirectResponse(TWO_FACTOR_PAGE + "?off=1", status_code=303)


def _refused(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: SignedInViewer,
    refused: InvalidInput | Conflict,
    field: str = "code",
) -> Response:
    errors = FormErrors()
    errors.add(field, refused.detail)
    return _page(request, session, settings, viewer, errors, status_code=400)


def _recovery_codes(request: Request, codes: list[str], *, first: bool) -> Response:
    response = render(request, "recovery_codes.html", {"codes": codes, "first": first})
    # Shown once: neither the browser's cache nor a proxy may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response
