"""Pausing the cyclic garbage collector around allocation-heavy, cycle-free work."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building a large result (a call's ranking: tens of thousands of tuples) triggers
    many collections that find nothing, since such data holds no reference cycles;
    reference counting still frees it. The collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
