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

from fundflow.cofinancing import service as commitments
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep
from fundflow.core.errors import not_found
from fundflow.monitoring import reports
from fundflow.projects import service as projects
from fundflow.web import labels
from fundflow.web.deps import SignedInDep
from fundflow.web.rendering import render
from fundflow.web.routes.proposals import FormDep
from fundflow.web.workflows import COMMITMENT, PROJECT, REFUND, REPORT, Workflow

router = APIRouter()


@dataclass(frozen=True)
class Record:
    """A kind of record whose actions the pages offer: its workflow, how it is read for
    the person (404 if they may not see it), and the page that shows it."""

    workflow: Workflow
    load: Callable[[Session, Actor, int], Any]
    page: Callable[[Any], str]
    names: dict[str, str]


RECORDS = {
    "projets": Record(
        PROJECT,
        lambda s, a, i: projects.get_project(s, actor=a, project_id=i),
        lambda project: f"/projets/{project.id}",
        labels.PROJECT_ACTIONS,
    ),
    "rapports": Record(
        REPORT,
        lambda s, a, i: reports.get_report(s, actor=a, report_id=i),
        lambda report: f"/rapports/{report.id}",
        labels.REPORT_ACTIONS,
    ),
    "engagements": Record(
        COMMITMENT,
        lambda s, a, i: commitments.get_commitment(s, actor=a, commitment_id=i),
        lambda commitment: f"/projets/{commitment.project_id}#engagements",
        labels.COMMITMENT_ACTIONS,
    ),
    "remboursements": Record(
        REFUND,
        lambda s, a, i: reports.get_refund(s, actor=a, refund_id=i),
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
    taken = record.workflow.take(session, viewer, entity, form)
    back = _local(form.get("retour")) or record.page(entity)
    if taken.errors:
        context = {
            "forms": record.workflow.forms(session, viewer, entity, only=taken.action),
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
