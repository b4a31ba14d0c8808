"""Who acts on reports, refunds and documents. A report is seen by whoever sees its project
(``reports.report_visibility``); these say who may act."""

from fundflow.core.actor import Actor
from fundflow.core.errors import Forbidden
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.monitoring.models import Refund, Report


def _of_association(actor: Actor, organisation_id: int | None) -> bool:
    return (
        actor.has(Role.APPLICANT)
        and actor.organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def report_acting_roles(actor: Actor, report: Report) -> frozenset[str]:
    """The association writes and submits; the secretariat asks for changes and approves."""
    roles = set(actor.roles & {Role.SECRETARIAT})
    if _of_association(actor, report.project.organisation_id):
        roles.add(Role.APPLICANT)
    return frozenset(roles)


def refund_acting_roles(actor: Actor, _refund: Refund) -> frozenset[str]:
    """The secretariat records a refund received or waives it."""
    return frozenset(actor.roles & {Role.SECRETARIAT})


def require_report_writer(actor: Actor, organisation_id: int) -> None:
    if not _of_association(actor, organisation_id):
        raise Forbidden(N_("The project's association writes its reports."))


def require_document_author(actor: Actor, organisation_id: int | None) -> None:
    if not (actor.has(Role.SECRETARIAT) or _of_association(actor, organisation_id)):
        raise Forbidden(N_("Documents are added by the association or the secretariat."))
