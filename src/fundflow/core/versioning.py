"""Optimistic concurrency for edits: the client's `version`, and a compare-and-set bump."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from fundflow.core.errors import Conflict
from fundflow.core.messages import N_, Message


def check_version(entity: Any, sent: int | None, kind: str) -> None:
    """409 when the client edits from a version that is not the current one."""
    if sent is not None and sent != entity.version:
        raise Conflict(
            Message(
                N_("The %(kind)s was changed since version %(sent)s (now %(now)s); reload it."),
                {"kind": kind, "sent": sent, "now": entity.version},
            )
        )


def bump_version(
    session: Session,
    entity: Any,
    kind: str,
    *,
    unless_changed: tuple[Any, ...] = (),
    **values: Any,
) -> None:
    """Flush pending edits, then move `version` on (and set ``values``) only if nobody else
    did meanwhile, nor changed what ``unless_changed`` states (a workflow's source state)."""
    table = type(entity)
    session.flush()
    result = session.execute(
        sa.update(table)
        .where(table.id == entity.id, table.version == entity.version, *unless_changed)
        .values(version=entity.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"The {kind} was changed by someone else meanwhile; reload it.")
    set_committed_value(entity, "version", entity.version + 1)
    for name, value in values.items():
        set_committed_value(entity, name, value)
