"""A page address nothing else answers: "page not found" as the person who asked sees the
other pages, signed in and in their own language.

Without this route the router answers on its own, before anyone looked at the session
cookie: a signed-in person would read the error as signed out, in their browser's
language rather than the one they chose. It is the last route and takes only what the
router would have answered 404: a page read at an address no route knows, with or without
a trailing slash (the router redirects an address another route answers without it, and
answers 405 at an address known for other methods).
"""

from fastapi import APIRouter
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from fundflow.core.errors import NotFound
from fundflow.web.deps import ViewerDep
from fundflow.web.errors import is_page

READS = frozenset({"GET", "HEAD"})
# Marks the copies of a request's scope this route asks the other routes about: it is among
# them (the application's routes hold included routers, not their routes), and must not
# ask again.
_PROBE = "fundflow.unknown_page_probe"


class UnknownPageRoute(APIRoute):
    """Matches a page's read at an address no other route knows; nothing else."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] != "http"
            or _PROBE in scope
            or scope["method"] not in READS
            or not is_page(scope["path"])
            or _known_elsewhere(scope)
        ):
            return Match.NONE, {}
        return super().matches(scope)


def _known_elsewhere(scope: Scope) -> bool:
    """Whether another route knows the address (for another method), or the address
    without its trailing slash: the router's own answer (405, a redirect) then stands."""
    path: str = scope["path"]
    addresses = [{**scope, _PROBE: True}]
    if path != "/" and path.endswith("/"):
        addresses.append({**scope, "path": path.rstrip("/"), _PROBE: True})
    return any(
        route.matches(address)[0] != Match.NONE
        for address in addresses
        for route in scope["app"].router.routes
    )


router = APIRouter(route_class=UnknownPageRoute)


@router.get("/{address:path}")
def unknown_page(seen: ViewerDep) -> Response:
    # ``seen`` puts the reader and their language where the error page reads them.
    raise NotFound("No page at this address.")
