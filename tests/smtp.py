"""A real SMTP server on loopback for the tests that send e-mail (the `smtp` fixture, in
tests/conftest.py)."""

from __future__ import annotations

import email
import socket
from email.message import Message as EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """A real SMTP server on loopback and what it received; `refuse` makes it answer 550 to
    every recipient; `stop()` and `start()` take it down and bring it back on the same port."""

    def __init__(self, port: int) -> None:
        self.received: list[EmailMessage] = []
        self.refuse = False
        self.port = port
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
