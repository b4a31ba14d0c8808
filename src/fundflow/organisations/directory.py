"""An association's entry in the public directory, kept by its own members: listed only
once it opts in, showing only what it chooses."""

from sqlmodel import Session

from fundflow.core.actor import Actor
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Forbidden
from fundflow.core.messages import N_
from fundflow.core.roles import Role
from fundflow.core.transitions import record_event
from fundflow.core.versioning import check_version
from fundflow.organisations.models import DirectoryEntry, Organisation
from fundflow.organisations.schemas import DirectoryEntryIn


def entry_of(session: Session, organisation_id: int) -> DirectoryEntry:
    """The association's entry, or an unlisted blank one (not stored until saved)."""
    return session.get(DirectoryEntry, organisation_id) or DirectoryEntry(
        organisation_id=organisation_id, themes=[], initiatives=[]
    )


def require_entry_editor(actor: Actor, organisation: Organisation) -> None:
    """The association's own members keep its entry (an administrator may correct it)."""
    own = actor.has(Role.APPLICANT) and actor.organisation_id == organisation.id
    if not (own or actor.has(Role.ADMIN)):
        raise Forbidden(N_("An association's directory entry is kept by its own members."))


def save_entry(
    session: Session, *, actor: Actor, organisation: Organisation, data: DirectoryEntryIn
) -> DirectoryEntry:
    require_entry_editor(actor, organisation)
    assert organisation.id is not None
    entry = session.get(DirectoryEntry, organisation.id)
    if entry is None:
        entry = DirectoryEntry(organisation_id=organisation.id)
    else:
        check_version(entry, data.version, "directory entry")
        entry.version += 1
    values = data.model_dump(exclude={"version"}, mode="json")
    for field, value in values.items():
        setattr(entry, field, value)
    entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    record_event(
        session,
        entity_type="organisation",
        entity_id=organisation.id,
        action="update_directory_entry",
        actor=actor,
        data={"listed": entry.listed},
    )
    return entry
