"""How a page changes something: through a service or the transition engine, inside a
savepoint, so that a refusal shown on the page has changed nothing."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlmodel import Session
from starlette.datastructures import FormData

from fundflow.core.transitions import perform_transition
from fundflow.core.workflow import Machine
from fundflow.web.deps import SignedInViewer

T = TypeVar("T")


@contextmanager
def undone_on_error(session: Session) -> Iterator[None]:
    """The service's work, kept only if it succeeds (a savepoint)."""
    with session.begin_nested():
        yield


def attempt(session: Session, work: Callable[[], T]) -> T:
    with undone_on_error(session):
        return work()


def act(
    session: Session,
    viewer: SignedInViewer,
    *,
    machine: Machine[Any],
    entity: Any,
    acting_roles: Iterable[str],
    action: str,
    comment: str | None = None,
    version: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """One transition, as the API's ``POST …/transitions`` takes it; undone if refused."""
    with undone_on_error(session):
        perform_transition(
            session,
            machine=machine,
            entity=entity,
            actor=viewer.actor,
            acting_roles=acting_roles,
            action=action,
            comment=comment,
            version=version,
            payload=payload,
        )


def form_version(form: FormData) -> int:
    """The version the form was shown with (-1 when it carries none: always stale)."""
    raw = form.get("version")
    return int(raw) if isinstance(raw, str) and raw.isdigit() else -1
