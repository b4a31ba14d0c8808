"""A forgotten password: a one-time link by e-mail, then a page to choose a new one."""

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fundflow.accounts import password_resets
from fundflow.core.config import Settings
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import InvalidInput
from fundflow.core.passwords import MIN_PASSWORD_LENGTH
from fundflow.monitoring.reminders import Outgoing, send
from fundflow.web.deps import ViewerDep
from fundflow.web.forms import N_, FormErrors
from fundflow.web.i18n import translations
from fundflow.web.rendering import render

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/mot-de-passe/oubli")
def forgotten_form(request: Request, seen: ViewerDep) -> Response:
    return render(request, "password_forgotten.html", {"errors": FormErrors(), "email": ""})


@router.post("/mot-de-passe/oubli")
def forgotten(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    seen: ViewerDep,
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    errors = FormErrors()
    if "@" not in email:
        errors.add("email", N_("Enter your e-mail address, like nom@exemple.ch."))
        context = {"errors": errors, "email": email}
        return render(request, "password_forgotten.html", context, status_code=400)
    found = password_resets.request_reset(session, email=email)
    if found is not None:
        user, token = found
        _mail_link(settings, to=user.email, language=user.language, token=token)
    # The same answer whether or not the address has an account.
    return render(request, "password_link_sent.html", {"email": email})


def _mail_link(settings: Settings, *, to: str, language: str, token: str) -> None:
    _ = translations(language).gettext
    link = f"{settings.public_url.rstrip('/')}/mot-de-passe/nouveau?jeton={token}"
    body = "\n\n".join(
        [
            _("Someone, probably you, asked to choose a new password for fundflow."),
            _("To choose it, open this link within two hours (it works once):"),
            link,
            _("If you did not ask for it, ignore this message: your password stays as it is."),
        ]
    )
    undelivered = send(settings, [Outgoing(to=to, subject=_("Choose a new password"), body=body)])
    if undelivered:
        log.error("the password link could not be sent (the SMTP server refused it)")


@router.get("/mot-de-passe/nouveau")
def new_password_form(
    request: Request, session: SessionDep, seen: ViewerDep, jeton: str = ""
) -> Response:
    if password_resets.live_link(session, jeton) is None:
        return render(request, "password_link_expired.html", status_code=400)
    return render(request, "password_new.html", {"errors": FormErrors(), "token": jeton})


@router.post("/mot-de-passe/nouveau")
def new_password(
    request: Request,
    session: SessionDep,
    seen: ViewerDep,
    token: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    confirmation: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    errors = FormErrors()
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.add("password", N_("Choose a password of at least 10 characters."))
    elif password != confirmation:
        errors.add("confirmation", N_("Type the same password twice."))
    if errors:
        context = {"errors": errors, "token": token}
        return render(request, "password_new.html", context, status_code=400)
    try:
        password_resets.choose_password(session, token=token, password=password)
    except InvalidInput:
        return render(request, "password_link_expired.html", status_code=400)
    return RedirectResponse("/connexion?password_changed=1", status_code=303)
