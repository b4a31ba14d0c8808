"""A page address nothing else answers: "page not found" as the person who asked sees the
other pages, signed in and in their own language.

Without this route the router answers on its own, before anyone looked at the session
cookie: a signed-in person would read the error as signed out, in their browser's
language rather than the one they chose. It is the last route, it answers only the pages'
reads, and it keeps the router's redirect of an address with a trailing slash.
"""

from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Scope

from fundflow.web.deps import ViewerDep
from fundflow.web.errors import is_page

READS = frozenset({"GET", "HEAD"})


class UnknownPageRoute(APIRoute):
    """Matches a page's read that no earlier route matched; nothing else."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] != "http"
            or scope["method"] not in READS
            or not is_page(scope["path"])
            or _answered_without_slash(scope)
        ):
            return Match.NONE, {}
        return super().matches(scope)


def _answered_without_slash(scope: Scope) -> bool:
    """Whether another page answers the address without its trailing slash: the router
    then redirects there, as it would without this route."""
    path: str = scope["path"]
    if path == "/" or not path.endswith("/"):
        return False
    stripped = {**scope, "path": path.rstrip("/")}
    return any(
        route.matches(stripped)[0] != Match.NONE
        for route in scope["app"].router.routes
        if not isinstance(route, UnknownPageRoute)
    )


router = APIRouter(route_class=UnknownPageRoute)


@router.get("/{address:path}")
def unknown_page(request: Request, address: str, seen: ViewerDep) -> Response:
    raise HTTPException(HTTPStatus.NOT_FOUND)
