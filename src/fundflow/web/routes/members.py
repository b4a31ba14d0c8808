"""The secretariat's pages for the members of associations: who belongs to each, and an
invitation by e-mail with a link to choose a first password."""

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from fundflow.accounts.models import Language
from fundflow.core.catalogues import translations
from fundflow.core.config import Settings
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import Conflict
from fundflow.core.roles import Role
from fundflow.monitoring.reminders import Outgoing, send
from fundflow.organisations.service import get_organisation
from fundflow.transparency.directory import initiatives_like_those_of
from fundflow.users import invitations
from fundflow.web.changes import undone_on_error
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/associations")
def associations(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    found = invitations.organisations_to_invite_to(session, actor=viewer.actor)
    return render(request, "associations.html", {"organisations": found})


def _members_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    organisation_id: int,
    errors: FormErrors,
    typed: dict[str, str],
    status_code: int = 200,
) -> Response:
    members = invitations.members_of(session, actor=viewer.actor, organisation_id=organisation_id)
    organisation = get_organisation(session, actor=viewer.actor, organisation_id=organisation_id)
    # The secretariat links associations working on the same thing in the same place.
    similar = (
        initiatives_like_those_of(session, organisation_id=organisation_id)
        if viewer.actor.has(Role.SECRETARIAT)
        else []
    )
    context = {
        "organisation": organisation,
        "members": members,
        "similar": similar,
        "errors": errors,
        "typed": typed,
    }
    return render(request, "members.html", context, status_code=status_code)


@router.get("/associations/{organisation_id}")
def members(
    request: Request, organisation_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    return _members_page(request, session, viewer, organisation_id, FormErrors(), {})


@router.post("/associations/{organisation_id}/invitations")
def invite(
    request: Request,
    organisation_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(max_length=5)] = "fr",
) -> Response:
    invitations.require_inviter(viewer.actor)
    typed = {"email": email, "full_name": full_name, "language": language}
    errors = FormErrors()
    if not full_name.strip():
        errors.add("full_name", N_("Enter the member's name."))
    chosen = Language(language) if language in {lang.value for lang in Language} else Language.FR
    if not errors:
        try:
            with undone_on_error(session):
                user, token = invitations.invite_member(
                    session,
                    actor=viewer.actor,
                    organisation_id=organisation_id,
                    email=email,
                    full_name=full_name.strip(),
                    language=chosen,
                )
        except ValidationError:
            errors.add("email", N_("Enter your e-mail address, like nom@exemple.ch."))
        except Conflict:
            errors.add("email", N_("This address already has an account."))
    if errors:
        return _members_page(request, session, viewer, organisation_id, errors, typed, 400)
    _mail_invitation(settings, user.email, chosen, token, inviter=viewer.user.full_name)
    return RedirectResponse(f"/associations/{organisation_id}?invite={user.id}", status_code=303)


def _mail_invitation(
    settings: Settings, to: str, language: str, token: str, *, inviter: str
) -> None:
    _ = translations(language).gettext
    link = f"{settings.public_url.rstrip('/')}/mot-de-passe/nouveau?jeton={token}"
    body = "\n\n".join(
        [
            _(
                "%(name)s invites you to fundflow, where your association writes its "
                "proposals and reports."
            )
            % {"name": inviter},
            _("To choose your password, open this link within two weeks (it works once):"),
            link,
            _("Then sign in with this e-mail address."),
        ]
    )
    subject = _("Your invitation to fundflow")
    if send(settings, [Outgoing(to=to, subject=subject, body=body)]):
        log.error("the invitation could not be sent (the SMTP server refused it)")
