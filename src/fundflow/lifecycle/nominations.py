"""A nominee's side of a nomination: the e-mail that tells them, and their answer.

The nominee holds no account: the link's secret is their only credential, good for this
one nomination while the jury has not decided. Declining is the proposal's
`decline_nomination` transition, taken by the engine like any other and audited.
"""

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from fundflow.calls.models import Call
from fundflow.calls.service import category_named
from fundflow.core.actor import Actor
from fundflow.core.catalogues import translations
from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Conflict
from fundflow.core.inputs import NonBlank
from fundflow.core.messages import N_
from fundflow.core.transitions import perform_transition, record_event
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring.reminders import Outgoing
from fundflow.proposals.models import NomineeKind, NomineeResponse, Proposal
from fundflow.proposals.nominations import (
    ANSWERABLE,
    NOMINEE,
    Notice,
    issue_notices,
    nomination_by_token,
    nominator_name,
)

NOMINEE_LINK = Actor.system("nominee_link", NOMINEE)
# The secret goes in the query, which the access log leaves out (it logs the path).
ANSWER_PATH = "/distinctions/nomination?jeton="


class NominationForNominee(BaseModel):
    """What the nominee reads behind their link: nothing of the jury's work."""

    round_id: int
    round: str
    year: int
    category: str | None
    category_label: str | None
    nominee_name: str
    nominee_kind: NomineeKind | None
    nominated_by: str
    title: str
    summary: str | None
    response: NomineeResponse
    can_answer: bool = Field(description="False once the jury has decided or after declining")


class NomineeAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=100, description="The secret of the e-mail's link")
    response: NomineeResponse = Field(description="accepted or declined")
    comment: NonBlank | None = Field(default=None, max_length=2_000)


def category_label(call: Call, code: str | None, language: str = "fr") -> str | None:
    named = category_named(call.categories, code)
    label = named.get("label_en") if language == "en" else None
    return label or named.get("label")


def _view(session: Session, proposal: Proposal, language: str) -> NominationForNominee:
    call: Call = proposal.call
    return NominationForNominee(
        round_id=call.id or 0,
        round=call.title,
        year=call.year,
        category=proposal.category,
        category_label=category_label(call, proposal.category, language),
        nominee_name=proposal.nominee_name or "",
        nominee_kind=proposal.nominee_kind,
        nominated_by=nominator_name(session, proposal),
        title=proposal.title,
        summary=proposal.summary,
        response=proposal.nominee_response or NomineeResponse.PENDING,
        can_answer=proposal.status in ANSWERABLE,
    )


def nomination_for_nominee(
    session: Session, token: str, language: str = "fr"
) -> NominationForNominee:
    return _view(session, nomination_by_token(session, token), language)


def answer(session: Session, given: NomineeAnswer, language: str = "fr") -> NominationForNominee:
    """Accept (which may still be turned into a refusal) or decline (final)."""
    proposal = nomination_by_token(session, given.token)
    if given.response == NomineeResponse.PENDING:
        raise Conflict(N_("Answer accepted or declined."))
    if proposal.status not in ANSWERABLE:
        raise Conflict(
            N_(
                "This nomination can no longer be answered: the jury has decided, "
                "or it was withdrawn."
            )
        )
    if given.response == NomineeResponse.DECLINED:
        perform_transition(
            session,
            machine=PROPOSAL_MACHINE,
            entity=proposal,
            actor=NOMINEE_LINK,
            acting_roles={NOMINEE},
            action="decline_nomination",
            comment=given.comment,
        )
    elif proposal.nominee_response != NomineeResponse.ACCEPTED:
        proposal.nominee_response = NomineeResponse.ACCEPTED
        proposal.nominee_responded_at = utcnow()
        session.add(proposal)
        assert proposal.id is not None
        record_event(
            session,
            entity_type="proposal",
            entity_id=proposal.id,
            action="accept_nomination",
            actor=NOMINEE_LINK,
            comment=given.comment,
        )
    session.flush()
    return _view(session, proposal, language)


def notice_message(settings: Settings, session: Session, notice: Notice) -> Outgoing:
    """The nominee's e-mail, French then English: we do not know which they read."""
    proposal = notice.proposal
    link = f"{settings.public_url.rstrip('/')}{ANSWER_PATH}{notice.token}"
    values = {
        "nominee": proposal.nominee_name,
        "nominator": nominator_name(session, proposal),
        "round": proposal.call.title,
    }
    parts = []
    for language in ("fr", "en"):
        _ = translations(language).gettext
        parts.append(
            "\n\n".join(
                [
                    _("%(nominator)s nominated %(nominee)s for the award “%(round)s”.") % values,
                    _("You may read the nomination, and accept it or decline it, at this address:"),
                    link,
                    _("If you decline, the nomination is withdrawn and the jury will not see it."),
                ]
            )
        )
    subject = " / ".join(
        translations(language).gettext("Your nomination: %(round)s") % values
        for language in ("fr", "en")
    )
    assert proposal.nominee_email is not None
    return Outgoing(to=proposal.nominee_email, subject=subject, body="\n\n— — —\n\n".join(parts))


def plan_notices(session: Session, settings: Settings) -> list[tuple[Notice, Outgoing]]:
    """The nominees not yet told, each with a new link and the e-mail carrying it; sent
    once the caller has committed, and forgotten (``forget_notices``) if it did not leave,
    so that the next run tells them with another link."""
    return [
        (notice, notice_message(settings, session, notice)) for notice in issue_notices(session)
    ]
