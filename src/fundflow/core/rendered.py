"""Representations rendered once and reused while the database says they still hold.

A resource whose representation is costly to build (a proposal: a dozen lists aggregated,
decoded, validated and serialised) carries a *content stamp* that the database itself
moves whenever anything the representation shows changes (triggers, so no write path can
forget). A read asks for the ids and stamps it needs, which is cheap, and reuses the JSON
rendered for an (id, stamp) it has seen; only the others are read and rendered.

The store lives in the process, one per database, and holds what reads of committed data
rendered: only sessions that read fill or use it. A writer's transaction sees what it has
not committed yet, and a stamp it moves and then rolls back would later be given to other
content. After restoring a database from a backup, restart the servers: stamps go back
with the data.
"""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from fundflow.core.database import writer_of

DEFAULT_BUDGET_BYTES = 32 * 1024 * 1024


class RenderedStore:
    """JSON documents by key, the least recently used dropped beyond ``budget_bytes``."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._documents: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
            return document

    def put(self, key: Hashable, document: bytes) -> None:
        if len(document) > self.budget_bytes:
            return
        with self._lock:
            previous = self._documents.pop(key, None)
            if previous is not None:
                self._size -= len(previous)
            self._documents[key] = document
            self._size += len(document)
            while self._size > self.budget_bytes:
                _, dropped = self._documents.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def size(self) -> int:
        return self._size


_stores: "weakref.WeakKeyDictionary[Engine, RenderedStore]" = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def rendered_store(session: Session) -> RenderedStore | None:
    """The store of the database ``session`` reads, or None when the session may write."""
    database = writer_of(session)
    if database is None:
        return None
    store = _stores.get(database)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(database, RenderedStore())
    return store
