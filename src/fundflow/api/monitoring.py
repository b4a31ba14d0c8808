from typing import Annotated

from fastapi import File, UploadFile
from fastapi.responses import Response

from fundflow.api.deps import CurrentActor
from fundflow.api.transitions import WorkflowBinding, add_workflow_routes
from fundflow.core.deps import SessionDep
from fundflow.core.formats import attachment
from fundflow.core.inputs import Id
from fundflow.core.pagination import Page
from fundflow.core.routing import api_router
from fundflow.monitoring import documents, policies, reports
from fundflow.monitoring.indicators import indicator_progress
from fundflow.monitoring.schemas import (
    DocumentPublic,
    IndicatorProgress,
    RefundPublic,
    ReportPublic,
    ReportUpdate,
    ReportVersionPublic,
    ScheduledReport,
)
from fundflow.monitoring.service import schedule
from fundflow.monitoring.workflow import REFUND_MACHINE, REPORT_MACHINE
from fundflow.projects.service import get_project
from fundflow.proposals.service import get_proposal

router = api_router(tags=["monitoring"])
Upload = Annotated[UploadFile, File(description="PDF, DOCX, XLSX, ODT, JPEG or PNG")]


@router.get("/reports/{report_id}", response_model=ReportPublic)
def get_report(report_id: Id, session: SessionDep, actor: CurrentActor) -> ReportPublic:
    """One report with its indicator values and expenses."""
    return reports.to_public(session, reports.get_report(session, actor=actor, report_id=report_id))


@router.put("/reports/{report_id}", response_model=ReportPublic)
def save_report(
    report_id: Id, body: ReportUpdate, session: SessionDep, actor: CurrentActor
) -> ReportPublic:
    """Write the report while it is scheduled or changes are requested (the association)."""
    report = reports.get_report(session, actor=actor, report_id=report_id)
    return reports.to_public(
        session, reports.save_content(session, actor=actor, report=report, data=body)
    )


@router.get("/reports/{report_id}/history", response_model=list[ReportVersionPublic])
def report_history(
    report_id: Id, session: SessionDep, actor: CurrentActor
) -> list[ReportVersionPublic]:
    """Every submitted version, and what the secretariat asked to change in it."""
    return reports.history(session, reports.get_report(session, actor=actor, report_id=report_id))


@router.get("/projects/{project_id}/indicators", response_model=list[IndicatorProgress])
def project_indicators(
    project_id: Id, session: SessionDep, actor: CurrentActor
) -> list[IndicatorProgress]:
    """Per logframe indicator: baseline, target, each approved period's value, progress."""
    return indicator_progress(session, get_project(session, actor=actor, project_id=project_id))


@router.get("/projects/{project_id}/refund", response_model=RefundPublic)
def project_refund(project_id: Id, session: SessionDep, actor: CurrentActor) -> RefundPublic:
    """The unused funds owed back after closing or termination, if any."""
    project = get_project(session, actor=actor, project_id=project_id)
    return RefundPublic.model_validate(reports.refund_of(session, project_id=project.id or 0))


@router.post(
    "/proposals/{proposal_id}/documents",
    response_model=DocumentPublic,
    status_code=201,
    tags=["documents"],
)
def attach_to_proposal(
    proposal_id: Id, file: Upload, session: SessionDep, actor: CurrentActor
) -> DocumentPublic:
    """Attach a document to a proposal (its association or the secretariat)."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return DocumentPublic.model_validate(
        documents.attach(
            session,
            actor=actor,
            content=file.file.read(),
            filename=file.filename or "",
            proposal=proposal,
        )
    )


@router.get(
    "/proposals/{proposal_id}/documents", response_model=Page[DocumentPublic], tags=["documents"]
)
def proposal_documents(
    proposal_id: Id, session: SessionDep, actor: CurrentActor
) -> Page[DocumentPublic]:
    """A proposal's documents."""
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    return Page(
        items=[
            DocumentPublic.model_validate(d)
            for d in documents.documents_of(session, proposal=proposal)
        ],
        next_cursor=None,
    )


@router.post(
    "/reports/{report_id}/documents",
    response_model=DocumentPublic,
    status_code=201,
    tags=["documents"],
)
def attach_to_report(
    report_id: Id, file: Upload, session: SessionDep, actor: CurrentActor
) -> DocumentPublic:
    """Attach a document (financial statement, photos...) to a report."""
    report = reports.get_report(session, actor=actor, report_id=report_id)
    return DocumentPublic.model_validate(
        documents.attach(
            session,
            actor=actor,
            content=file.file.read(),
            filename=file.filename or "",
            report=report,
        )
    )


@router.get(
    "/reports/{report_id}/documents", response_model=Page[DocumentPublic], tags=["documents"]
)
def report_documents(
    report_id: Id, session: SessionDep, actor: CurrentActor
) -> Page[DocumentPublic]:
    """A report's documents."""
    report = reports.get_report(session, actor=actor, report_id=report_id)
    return Page(
        items=[
            DocumentPublic.model_validate(d) for d in documents.documents_of(session, report=report)
        ],
        next_cursor=None,
    )


@router.get(
    "/documents/{document_id}/content",
    tags=["documents"],
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download(document_id: Id, session: SessionDep, actor: CurrentActor) -> Response:
    """The document itself, to whoever may see what it is attached to."""
    document = documents.get_document(session, actor=actor, document_id=document_id)
    return Response(
        content=documents.content_of(document),
        media_type=document.media_type,
        headers=attachment(document.filename),
    )


add_workflow_routes(
    router,
    WorkflowBinding(
        collection="reports",
        id_name="report_id",
        machine=REPORT_MACHINE,
        load=lambda session, actor, rid: reports.get_report(session, actor=actor, report_id=rid),
        acting_roles=policies.report_acting_roles,
        to_public=lambda session, _actor, report: reports.to_public(session, report),
    ),
    response_model=ReportPublic,
)
add_workflow_routes(
    router,
    WorkflowBinding(
        collection="refunds",
        id_name="refund_id",
        machine=REFUND_MACHINE,
        load=lambda session, actor, rid: reports.get_refund(session, actor=actor, refund_id=rid),
        acting_roles=policies.refund_acting_roles,
        to_public=lambda _session, _actor, refund: RefundPublic.model_validate(refund),
    ),
    response_model=RefundPublic,
)


@router.get("/projects/{project_id}/reports", response_model=list[ScheduledReport])
def list_reports(project_id: Id, session: SessionDep, actor: CurrentActor) -> list[ScheduledReport]:
    """The reporting schedule, with what is overdue."""
    project = get_project(session, actor=actor, project_id=project_id)
    return schedule(session, project)
