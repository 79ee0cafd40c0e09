"""A real SMTP server on loopback that keeps every message as an ``.eml`` file: the demo's mailbox.

The console sends through its normal ``SmtpMailer`` to this sink, so the demo and the tests
exercise the same SMTP code a shop uses against its provider. Each accepted message is written
to a temporary name and renamed only when complete, before the server answers "250": a file
that exists is a whole message, and once the client sees "250" the file is already there (tests
need no waiting).

For tests it can also misbehave on purpose: refuse given recipients (550), defer them (451), or
drop the connection at a chosen point, including right after storing a message and before
answering, which is the "did it arrive or not?" case the mailer must not retry blindly.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Literal, NoReturn

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

DropPoint = Literal["ehlo", "mail", "rcpt", "data"]
TlsMode = Literal["starttls", "implicit"]


class _Controller(Controller):
    """aiosmtpd's controller, taught that port 0 means "any free port" (it would probe port 0)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None and self.server.sockets:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


async def _drop(server: SMTP) -> NoReturn:
    """Cut the TCP connection without a reply, then wait to be cancelled by ``connection_lost``."""
    if server.transport is not None:
        server.transport.abort()
    await asyncio.get_running_loop().create_future()
    raise AssertionError("unreachable")  # pragma: no cover


def _accept_any_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      auth_data: Any) -> AuthResult:
    """The sink is a local mailbox: any login works, so a configured username does not break the demo."""
    return AuthResult(success=True)


class _Handler:
    """aiosmtpd hooks; the rules (refusals, drops) are read from the sink at each command."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope, hostname: str,  # noqa: N802
                          responses: list[str]) -> list[str]:
        if self.sink.drop_at == "ehlo":
            await _drop(server)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,  # noqa: N802
                          mail_options: list[str]) -> str:
        if self.sink.drop_at == "mail":
            await _drop(server)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if self.sink.drop_at == "rcpt":
            await _drop(server)
        key = address.lower()
        if key in {a.lower() for a in self.sink.refuse_recipients}:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if key in {a.lower() for a in self.sink.defer_recipients}:
            return f"451 4.3.0 <{address}>: Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        path = self.sink._store(envelope)
        implicit = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        self.sink.encrypted.append(session.ssl is not None or implicit)
        if self.sink.drop_at == "data":
            await _drop(server)  # stored, but the client never hears "250"
        return f"250 2.0.0 Ok: queued as {path.stem}"


class SmtpSink:
    """A loopback SMTP server storing messages under ``folder``.

    ``refuse_recipients`` / ``defer_recipients`` (compared case-insensitively) and ``drop_at``
    are plain attributes that may be changed while the sink runs.
    """

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0, *,
                 refuse_recipients: set[str] | None = None, defer_recipients: set[str] | None = None,
                 drop_at: DropPoint | None = None, tls: TlsMode | None = None,
                 certificate: tuple[Path, Path] | None = None) -> None:
        self.folder = Path(folder)
        self.host = host
        self.port = port
        self._requested_port = port
        self.refuse_recipients: set[str] = set(refuse_recipients or ())
        self.defer_recipients: set[str] = set(defer_recipients or ())
        self.drop_at: DropPoint | None = drop_at
        #: "starttls": offered and required before AUTH/MAIL; "implicit": TLS from the first byte
        self.tls = tls
        self.certificate = certificate  # (certificate chain PEM, key PEM)
        #: for each stored message, whether its session was encrypted (tests check it)
        self.encrypted: list[bool] = []
        self._controller: _Controller | None = None

    def __repr__(self) -> str:
        return f"SmtpSink({str(self.folder)!r}, {self.host}:{self.port}, running={self.running})"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        """Listen (on a free port when ``port`` is 0) and return once connections are accepted."""
        if self._controller is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(".*.part"):  # a crash mid-write left it; never a message
            leftover.unlink(missing_ok=True)
        context = None
        if self.tls is not None:
            if self.certificate is None:
                raise ValueError("TLS needs a certificate and key")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*map(str, self.certificate))
        controller = _Controller(
            _Handler(self), hostname=self.host, port=self._requested_port, server_hostname="linkoptima-sink",
            authenticator=_accept_any_login, auth_require_tls=self.tls == "starttls",  # implicit: TLS already
            ssl_context=context if self.tls == "implicit" else None,
            tls_context=context if self.tls == "starttls" else None,
            require_starttls=self.tls == "starttls",
        )
        controller.start()
        self._controller = controller
        self.port = controller.port

    def stop(self) -> None:
        """Stop listening; stored messages stay on disk."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _store(self, envelope: Envelope) -> Path:
        """Write one message atomically: temp file, fsync, rename.

        The envelope is recorded as ``X-Envelope-From`` / ``X-Envelope-To`` headers on top (as
        local delivery agents do), because Bcc recipients appear nowhere else.
        """
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        trace = (f"X-Envelope-From: <{envelope.mail_from or ''}>\r\n"
                 f"X-Envelope-To: {', '.join(f'<{a}>' for a in envelope.rcpt_tos)}\r\n").encode()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.folder / f".{name}.part"
        final = self.folder / f"{name}.eml"
        with open(tmp, "wb") as handle:
            handle.write(trace + content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        return final

    def paths(self) -> list[Path]:
        """Stored messages, oldest first (names start with the arrival time)."""
        return sorted(self.folder.glob("*.eml")) if self.folder.exists() else []

    def messages(self) -> list[EmailMessage]:
        """Every stored message, parsed from disk, oldest first."""
        parser = BytesParser(policy=policy.default)
        result = []
        for path in self.paths():
            with open(path, "rb") as handle:
                result.append(parser.parse(handle))  # type: ignore[arg-type]
        return result

    def clear(self) -> None:
        """Delete the stored messages (the demo's "empty mailbox" action)."""
        for path in self.paths():
            path.unlink(missing_ok=True)
