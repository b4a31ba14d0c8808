"""A real SMTP server on the loopback interface, for the tests of what fundflow e-mails."""

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def] # noqa: N802
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode()
        self.messages.append((envelope.rcpt_tos, subject, body))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
