"""Who is acting: a plain value the policies and the workflow engine reason about."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int
    roles: frozenset[str]
    organisation_id: int | None = None
    funder_id: int | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
