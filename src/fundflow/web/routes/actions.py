"""Actions on the funded project's records — the project itself, its reports, the funders'
commitments and a refund — taken from the pages through the same transition tables and
engine as ``POST …/transitions``. Each record's page shows the forms
(``action_forms.action_forms``); they are sent here, and come back here with the error
summary if the engine refuses them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from fundflow.cofinancing import policies as commitment_policies
from fundflow.cofinancing import service as commitments
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep
from fundflow.core.errors import not_found
from fundflow.core.workflow import Machine
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.monitoring import policies as monitoring_policies
from fundflow.monitoring import reports
from fundflow.monitoring.workflow import REFUND_MACHINE, REPORT_MACHINE
from fundflow.projects import policies as project_policies
from fundflow.projects import service as projects
from fundflow.web import labels
from fundflow.web.action_forms import action_forms, take_action
from fundflow.web.deps import SignedInDep
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep

router = APIRouter()


@dataclass(frozen=True)
class Record:
    """A kind of record whose actions the pages offer: its machine, how it is read for
    the person (404 if they may not see it), and the page that shows it."""

    machine: Machine[Any]
    load: Callable[[Session, Actor, int], Any]
    acting_roles: Callable[[Actor, Any], frozenset[str]]
    page: Callable[[Any], str]
    names: dict[str, str]


RECORDS = {
    "projets": Record(
        PROJECT_MACHINE,
        lambda s, a, i: projects.get_project(s, actor=a, project_id=i),
        project_policies.acting_roles,
        lambda project: f"/projets/{project.id}",
        labels.PROJECT_ACTIONS,
    ),
    "rapports": Record(
        REPORT_MACHINE,
        lambda s, a, i: reports.get_report(s, actor=a, report_id=i),
        monitoring_policies.report_acting_roles,
        lambda report: f"/rapports/{report.id}",
        labels.REPORT_ACTIONS,
    ),
    "engagements": Record(
        COMMITMENT_MACHINE,
        lambda s, a, i: commitments.get_commitment(s, actor=a, commitment_id=i),
        commitment_policies.acting_roles,
        lambda commitment: f"/projets/{commitment.project_id}#engagements",
        labels.COMMITMENT_ACTIONS,
    ),
    "remboursements": Record(
        REFUND_MACHINE,
        lambda s, a, i: reports.get_refund(s, actor=a, refund_id=i),
        monitoring_policies.refund_acting_roles,
        lambda refund: f"/projets/{refund.project_id}#solde",
        labels.REFUND_ACTIONS,
    ),
}


def _local(path: object) -> str | None:
    """A page of ours to come back to (never another site's)."""
    if isinstance(path, str) and path.startswith("/") and not path.startswith("//"):
        return path
    return None


@router.post("/actions/{kind}/{record_id}")
def act_on_record(
    request: Request,
    kind: str,
    record_id: int,
    session: SessionDep,
    viewer: SignedInDep,
    form: FormDep,
) -> Response:
    record = RECORDS.get(kind)
    if record is None:
        raise not_found("Page", kind)
    entity = record.load(session, viewer.actor, record_id)
    roles = record.acting_roles(viewer.actor, entity)
    taken = take_action(
        session, viewer, machine=record.machine, entity=entity, acting_roles=roles, form=form
    )
    back = _local(form.get("retour")) or record.page(entity)
    if taken.errors:
        forms = action_forms(
            session, viewer, machine=record.machine, entity=entity, acting_roles=roles
        )
        context = {
            "forms": [f for f in forms if f.option.action == taken.action],
            "url": f"/actions/{kind}/{record_id}",
            "version": entity.version,
            "names": record.names,
            "back": back,
            "errors": taken.errors,
            "typed": taken.typed,
        }
        return render(request, "action_refused.html", context, status_code=400)
    path, _, anchor = back.partition("#")
    return RedirectResponse(
        f"{path}?fait={taken.action}" + (f"#{anchor}" if anchor else ""), status_code=303
    )
