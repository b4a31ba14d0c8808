"""The secretariat's follow-up of funded projects (``/suivi``): reports to read, reports
overdue, tranches to pay, projects to close and refunds owed — each line opening the
record's page, where its actions are."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fundflow.core.dbtypes import utcnow
from fundflow.core.deps import SessionDep
from fundflow.core.messages import N_
from fundflow.monitoring.overview import overview
from fundflow.web.deps import SignedInDep, require_secretariat
from fundflow.web.rendering import render

router = APIRouter()


@router.get("/suivi")
def follow_up(request: Request, session: SessionDep, viewer: SignedInDep) -> Response:
    require_secretariat(viewer, N_("The follow-up of projects is the secretariat's."))
    today = utcnow().date()
    context = {
        "lists": overview(session, today=today),
        "report_page": lambda item: f"/rapports/{item.record_id}",
        "payment_page": lambda item: f"/projets/{item.project_id}#paiements",
        "close_page": lambda item: f"/projets/{item.project_id}#actions-title",
        "refund_page": lambda item: f"/projets/{item.project_id}#solde",
    }
    return render(request, "follow_up.html", context)
