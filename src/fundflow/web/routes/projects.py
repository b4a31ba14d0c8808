"""A funded project on the pages, and its reports: the tranches and what was paid, the
reporting schedule, and each report's form — pre-filled from the logframe's indicators and
the budget's categories, saved, documents attached, submitted through the report's
transition engine, with the secretariat's requested changes shown where they apply.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, select

from fundflow.cofinancing import policies as commitment_policies
from fundflow.cofinancing import service as commitments
from fundflow.cofinancing.disbursements import (
    disbursements_of,
    record_disbursement,
    tranches_of,
)
from fundflow.cofinancing.schemas import DisbursementCreate
from fundflow.core.config import get_settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.errors import Conflict, RuleViolation
from fundflow.core.pagination import PageParams
from fundflow.core.roles import Role
from fundflow.core.transitions import latest_event
from fundflow.funders.service import funder_names
from fundflow.monitoring import documents, reports
from fundflow.monitoring.indicators import indicator_progress
from fundflow.monitoring.models import Refund, Report, ReportStatus
from fundflow.monitoring.policies import report_acting_roles
from fundflow.monitoring.schemas import ReportUpdate
from fundflow.monitoring.service import schedule
from fundflow.monitoring.workflow import REPORT_MACHINE
from fundflow.organisations.models import Partner
from fundflow.projects import service as projects
from fundflow.projects.models import Project
from fundflow.proposals.models import BudgetLine, Proposal
from fundflow.web import nested_forms
from fundflow.web.changes import act, attempt, form_version
from fundflow.web.csrf import require_token
from fundflow.web.deps import SignedInDep, SignedInViewer
from fundflow.web.forms import N_, FormErrors
from fundflow.web.rendering import render
from fundflow.web.routes.attachments import attach_upload
from fundflow.web.routes.proposals import FormDep
from fundflow.web.workflows import COMMITMENT, PROJECT, REFUND, REPORT

router = APIRouter()


def _project_page(
    request: Request,
    session: Session,
    viewer: SignedInViewer,
    project: Project,
    errors: FormErrors | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    """The project with what the person may do on it: the secretariat records payments and
    moves the project on; a funder's staff confirm their funder's commitments."""
    visible, _ = commitments.list_commitments(
        session, actor=viewer.actor, project=project, page=PageParams(limit=100)
    )
    refund = session.exec(select(Refund).where(Refund.project_id == project.id)).first()
    public = projects.to_public(session, project)
    context = {
        "project": public,
        "currency": public.currency,
        "tranches": tranches_of(session, project),
        "payments": disbursements_of(session, project),
        "reports": schedule(session, project),
        "indicators": indicator_progress(session, project),
        "partner": _partner_of(session, project),
        "budget": _planned_by_category(session, project.proposal_id),
        "actions": PROJECT.forms(session, viewer, project),
        "commitments": [(c, COMMITMENT.forms(session, viewer, c)) for c in visible],
        "funders": funder_names(session, (c.funder_id for c in visible)),
        "refund": refund,
        "refund_actions": REFUND.forms(session, viewer, refund) if refund is not None else [],
        "pays": viewer.actor.has(Role.SECRETARIAT),
        "errors": errors or FormErrors(),
        "typed": typed or {},
        "today": utcnow().date(),
    }
    return render(request, "project.html", context, status_code=400 if errors else 200)


def _partner_of(session: Session, project: Project) -> Partner | None:
    proposal = session.get(Proposal, project.proposal_id)
    return session.get(Partner, proposal.partner_id) if proposal and proposal.partner_id else None


@router.get("/projets/{project_id}")
def project_page(
    request: Request, project_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    project = projects.get_project(session, actor=viewer.actor, project_id=project_id)
    return _project_page(request, session, viewer, project)


@router.post("/projets/{project_id}/paiements")
def record_payment(
    request: Request, project_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    """A due tranche paid (the secretariat), split across the funders as the API does."""
    project = projects.get_project(session, actor=viewer.actor, project_id=project_id)
    commitment_policies.require_paymaster(viewer.actor)
    fields = ("tranche_id", "paid_on", "reference")
    typed = {key: str(form.get(key) or "").strip() for key in fields}
    errors = FormErrors()
    try:
        data = DisbursementCreate.model_validate(typed)
        attempt(
            session,
            lambda: record_disbursement(session, actor=viewer.actor, project=project, data=data),
        )
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except RuleViolation as refused:
        for item in refused.errors:
            errors.add("tranche_id", item.get("message", ""))
    if errors:
        return _project_page(request, session, viewer, project, errors, typed)
    return RedirectResponse(f"/projets/{project_id}?paye=1#paiements", status_code=303)


def _planned_by_category(session: Session, proposal_id: int) -> dict[str, Decimal]:
    planned: dict[str, Decimal] = defaultdict(Decimal)
    lines = session.exec(select(BudgetLine).where(BudgetLine.proposal_id == proposal_id))
    for line in lines:
        planned[str(line.category)] += line.amount
    return dict(planned)


def _report_context(
    session: Session,
    viewer: SignedInViewer,
    report: Report,
    tree: dict[str, Any] | None,
    errors: FormErrors,
) -> dict[str, Any]:
    public = reports.to_public(session, report)
    project = report.project
    indicators = indicator_progress(session, project)
    planned = _planned_by_category(session, report.project.proposal_id)
    if tree is None:  # the saved report, in the form's shape
        values = {v.indicator_id: v for v in public.indicator_values}
        spent = {e.category: e.amount for e in public.expenses}
        tree = nested_forms.as_rows(
            {
                "narrative": public.narrative or "",
                "own_funds_spent": public.own_funds_spent,
                "version": public.version,
                "indicator_values": [
                    {
                        "indicator_id": i.indicator_id,
                        "value": values[i.indicator_id].value if i.indicator_id in values else "",
                        "comment": values[i.indicator_id].comment or ""
                        if i.indicator_id in values
                        else "",
                    }
                    for i in indicators
                ],
                "expenses": [
                    {"category": category, "amount": spent.get(category, "")}
                    for category in planned
                ],
            }
        )
    # What the state and the person's roles open (the guards are the form's to explain).
    roles = report_acting_roles(viewer.actor, report)
    options = {row.action for row in REPORT_MACHINE.available(str(report.status), roles)}
    changes = (
        latest_event(
            session, entity_type="report", entity_id=report.id or 0, action="request_changes"
        )
        if report.status == ReportStatus.CHANGES_REQUESTED
        else None
    )
    project_public = projects.to_public(session, project)
    return {
        "report": public,
        "project": project_public,
        "currency": project_public.currency,
        "indicators": indicators,
        "reached_values": {v.indicator_id: v for v in public.indicator_values},
        "planned": planned,
        "form": tree,
        "errors": errors,
        "editable": "submit" in options,
        "review_actions": REPORT.forms(session, viewer, report, leaving_out=("submit",)),
        "changes": changes,
        "documents": documents.documents_of(session, report=report),
        "max_upload_bytes": get_settings().max_upload_bytes,
    }


@router.get("/rapports/{report_id}")
def report_form(
    request: Request, report_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    report = reports.get_report(session, actor=viewer.actor, report_id=report_id)
    return render(
        request, "report.html", _report_context(session, viewer, report, None, FormErrors())
    )


def _report_update(tree: dict[str, Any], version: int) -> ReportUpdate:
    """The form as the report's content: rows left blank are not answers."""
    return ReportUpdate.model_validate(
        {
            "narrative": tree.get("narrative") or None,
            "own_funds_spent": tree.get("own_funds_spent") or None,
            "indicator_values": [
                row
                for row in tree.get("indicator_values", [])
                if row.get("value") or row.get("comment")
            ],
            "expenses": [row for row in tree.get("expenses", []) if row.get("amount")],
            "version": version,
        }
    )


@router.post("/rapports/{report_id}")
def save_report(
    request: Request, report_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    report = reports.get_report(session, actor=viewer.actor, report_id=report_id)
    tree = nested_forms.parse(form.multi_items())
    version = form_version(form)
    submitting = form.get("_submit") == "1"
    errors = FormErrors()
    try:
        data = _report_update(tree, version)
        attempt(
            session,
            lambda: reports.save_content(session, actor=viewer.actor, report=report, data=data),
        )
    except ValidationError as invalid:
        errors = nested_forms.errors_of(invalid)
    except Conflict:
        if report.version == version:
            raise
        errors.add("narrative", N_("Someone else saved this report while you were writing."))
    if submitting and not errors:
        # The content stays saved even when the report cannot be submitted yet.
        try:
            act(
                session,
                viewer,
                machine=REPORT_MACHINE,
                entity=report,
                acting_roles=report_acting_roles(viewer.actor, report),
                action="submit",
            )
        except RuleViolation as refused:
            for item in refused.errors:
                rule = item.get("rule", "")
                errors.add(
                    _REPORT_FIELDS.get(rule, rule),
                    _REPORT_RULES.get(rule, N_("Check this answer.")),
                )
    if errors:
        context = _report_context(session, viewer, report, tree, errors)
        return render(request, "report.html", context, status_code=400)
    done = "depose" if submitting else "enregistre"
    return RedirectResponse(f"/rapports/{report_id}?{done}=1", status_code=303)


# What the report's guards say, in the catalogue's words, on the field to fix.
_REPORT_FIELDS = {"indicator_values": "indicator_values-0-value", "project_reporting": "narrative"}
_REPORT_RULES = {
    "narrative": N_("Write what was done during the period."),
    "indicator_values": N_("Give each indicator's value, or say why it was not measured."),
    "own_funds_spent": N_("State the own funds spent (0 if none)."),
    "project_reporting": N_("The project does not take reports at the moment."),
}


@router.post("/rapports/{report_id}/documents")
def upload_report_document(
    request: Request, report_id: int, session: SessionDep, viewer: SignedInDep, form: FormDep
) -> Response:
    require_token(request, form)
    report = reports.get_report(session, actor=viewer.actor, report_id=report_id)
    errors = attach_upload(session, viewer, form, report=report)
    if errors:
        context = _report_context(session, viewer, report, None, errors)
        return render(request, "report.html", context, status_code=400)
    return RedirectResponse(f"/rapports/{report_id}?ajoute=1#pieces", status_code=303)


@router.post("/rapports/{report_id}/documents/{document_id}/suppression")
def remove_report_document(
    report_id: int, document_id: int, session: SessionDep, viewer: SignedInDep
) -> Response:
    report = reports.get_report(session, actor=viewer.actor, report_id=report_id)
    documents.remove(session, actor=viewer.actor, document_id=document_id, report=report)
    return RedirectResponse(f"/rapports/{report_id}?retire=1#pieces", status_code=303)
