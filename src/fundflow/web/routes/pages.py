"""Pages anyone may read without signing in."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fundflow.web.deps import ViewerDep
from fundflow.web.rendering import render

router = APIRouter()


@router.get("/accessibilite")
def accessibility_statement(request: Request, seen: ViewerDep) -> Response:
    """The accessibility statement, with a way to report a barrier."""
    return render(request, "accessibility.html")
