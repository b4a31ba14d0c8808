"""The e-mail notice of a new comment for the association: its members hear of it in
their own language (internal comments are never announced)."""

from sqlmodel import Session, col, select

from fundflow.accounts.models import User
from fundflow.core.catalogues import translations
from fundflow.core.config import Settings
from fundflow.monitoring.reminders import Outgoing, send
from fundflow.proposals.coaching.models import CommentVisibility, ProposalComment
from fundflow.proposals.models import Proposal


def notify_association(
    session: Session, settings: Settings, proposal: Proposal, comment: ProposalComment
) -> list[Outgoing]:
    """Mails the association's members, except the comment's author; what could not be
    delivered is returned."""
    if comment.visibility != CommentVisibility.ASSOCIATION:
        return []
    members = session.exec(
        select(User).where(
            col(User.organisation_id) == proposal.organisation_id,
            col(User.is_active).is_(True),
            col(User.id) != comment.author_id,
        )
    ).all()
    link = f"{settings.public_url.rstrip('/')}/propositions/{proposal.id}"
    messages = []
    for member in members:
        _ = translations(member.language).gettext
        body = "\n\n".join(
            [
                _("A new comment on your proposal “%(title)s”:") % {"title": proposal.title},
                comment.body,
                _("Read it and answer it here:"),
                link,
            ]
        )
        subject = _("New comment on “%(title)s”") % {"title": proposal.title}
        messages.append(Outgoing(to=member.email, subject=subject, body=body))
    return send(settings, messages) if messages else []
