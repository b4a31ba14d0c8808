"""Who is acting: a plain value the policies and the workflow engine reason about."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A person signed in (``id`` is their user), or one of the service's own processes
    (``process`` names it, ``id`` is None), which the audit trail records as such."""

    id: int | None
    roles: frozenset[str]
    organisation_id: int | None = None
    funder_id: int | None = None
    process: str | None = None

    @classmethod
    def system(cls, process: str, *roles: str) -> "Actor":
        """The service acting on its own: the daily tick, the demo loader."""
        return cls(id=None, roles=frozenset(roles), process=process)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
