"""Response bodies produced after the request's transaction has ended.

A streamed body runs once the handler has returned and the request's session is closed:
it opens a read-only session of its own and closes it when the body ends, fails or the
client hangs up, so that no transaction (nor, on SQLite, a lock) outlives the response.
"""

from collections.abc import AsyncIterator, Callable, Generator, Iterator

import anyio
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from fundflow.core.database import ReadSessionFactory
from fundflow.core.formats import attachment
from fundflow.core.request_sessions import connection_slot


def _owning(
    open_session: ReadSessionFactory, produce: Callable[[Session], Iterator[bytes]]
) -> Generator[bytes, None, None]:
    with open_session() as session:
        yield from produce(session)


async def stream_reading(
    open_session: ReadSessionFactory, produce: Callable[[Session], Iterator[bytes]]
) -> AsyncIterator[bytes]:
    """``produce``'s chunks, each made in a worker thread with a session of its own."""
    async with connection_slot():
        chunks = _owning(open_session, produce)
        try:
            while True:
                chunk = await run_in_threadpool(next, chunks, None)
                if chunk is None:
                    break
                yield chunk
        finally:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(chunks.close)


def streamed_download(
    open_session: ReadSessionFactory,
    produce: Callable[[Session], Iterator[bytes]],
    *,
    media_type: str,
    filename: str,
) -> StreamingResponse:
    """A file made while it is sent (``produce``'s chunks), offered for download."""
    return StreamingResponse(
        stream_reading(open_session, produce), media_type=media_type, headers=attachment(filename)
    )
