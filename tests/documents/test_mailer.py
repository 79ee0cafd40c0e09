"""Sending through a real SMTP server (the demo sink, aiosmtpd) on loopback, and every way it fails."""

from __future__ import annotations

import io
import logging
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from pypdf import PdfReader

from linkoptima_gui.core.documents.invoice_email import build_invoice_email
from linkoptima_gui.core.documents.invoice_pdf import render_invoice_pdf
from linkoptima_gui.core.documents.mailer import SmtpMailer, SmtpSettings
from linkoptima_gui.core.errors import AmbiguousOutcomeError, PermanentError, RetryableError
from linkoptima_gui.demo.smtp_sink import SmtpSink

from .conftest import make_invoice

BUYER_EMAIL = "jan.kowalski@example.com"
ARCHIVE = "archiwum@zolw.example"


def mailer(sink: SmtpSink, **changes: object) -> SmtpMailer:
    options: dict[str, object] = {"host": sink.host, "port": sink.port, "security": "none", "timeout": 5.0}
    options.update(changes)
    return SmtpMailer(SmtpSettings(**options))  # type: ignore[arg-type]


@pytest.fixture
def message() -> EmailMessage:
    return build_invoice_email(make_invoice(), b"%PDF-1.4\n%%EOF\n", sender="faktury@zolw.example",
                               shop_name="Sklep Żółw")


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that is bound (nobody else can take it) but not listening: connections are refused."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def test_invoice_e_mail_end_to_end(sink: SmtpSink) -> None:
    doc = make_invoice()
    pdf = render_invoice_pdf(doc)
    msg = build_invoice_email(doc, pdf, sender="faktury@zolw.example", reply_to="pomoc@zolw.example",
                              shop_name="Sklep Żółw")
    mailer(sink, bcc=(ARCHIVE,)).send(msg)

    files = list(sink.folder.glob("*.eml"))
    assert len(files) == 1 and files[0].stat().st_size > len(pdf)
    [got] = sink.messages()
    assert str(got["Subject"]) == "Faktura FA/17/2026 do zamówienia nr 10452 – Sklep Żółw"
    assert got["From"].addresses[0].addr_spec == "faktury@zolw.example"
    assert got["To"].addresses[0].addr_spec == BUYER_EMAIL
    assert got["Message-ID"] == msg["Message-ID"]
    attachment = next(got.iter_attachments())
    assert attachment.get_filename() == "Faktura_FA_17_2026.pdf"
    assert attachment.get_content() == pdf
    assert "FA/17/2026" in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    # BCC: delivered (it is in the envelope) but invisible in the headers the buyer sees.
    assert ARCHIVE in got["X-Envelope-To"] and BUYER_EMAIL in got["X-Envelope-To"]
    assert got["Bcc"] is None
    visible = [str(v) for k, v in got.items() if not k.lower().startswith("x-envelope")]
    assert not any(ARCHIVE in v for v in visible)


def test_bcc_header_on_the_message_goes_to_the_envelope_only(sink: SmtpSink, message: EmailMessage) -> None:
    message["Bcc"] = "szef@zolw.example"
    mailer(sink).send(message)
    [got] = sink.messages()
    assert "szef@zolw.example" in got["X-Envelope-To"]
    assert got["Bcc"] is None
    assert message["Bcc"] == "szef@zolw.example", "the caller's message is not modified"


def test_settings_reply_to_fills_a_missing_header(sink: SmtpSink, message: EmailMessage) -> None:
    mailer(sink, reply_to="pomoc@zolw.example").send(message)
    assert sink.messages()[0]["Reply-To"] == "pomoc@zolw.example"


def test_refused_recipient_is_permanent_and_names_the_address(sink: SmtpSink, message: EmailMessage) -> None:
    sink.refuse_recipients.add(BUYER_EMAIL.upper())
    with pytest.raises(PermanentError) as err:
        mailer(sink, bcc=(ARCHIVE,)).send(message)
    assert not isinstance(err.value, RetryableError)
    assert err.value.code == "email_refused"
    assert BUYER_EMAIL in err.value.reason and "550" in err.value.reason
    assert sink.messages() == [], "nobody gets a copy when the buyer is refused"


def test_refused_bcc_does_not_stop_the_buyers_copy(sink: SmtpSink, message: EmailMessage,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    sink.refuse_recipients.add(ARCHIVE)
    with caplog.at_level(logging.WARNING):
        mailer(sink, bcc=(ARCHIVE,)).send(message)
    [got] = sink.messages()
    assert BUYER_EMAIL in got["X-Envelope-To"] and ARCHIVE not in got["X-Envelope-To"]
    assert ARCHIVE in caplog.text


def test_deferred_recipient_is_retryable(sink: SmtpSink, message: EmailMessage) -> None:
    sink.defer_recipients.add(BUYER_EMAIL)
    with pytest.raises(RetryableError) as err:
        mailer(sink).send(message)
    assert err.value.code == "smtp_temporary" and "451" in err.value.reason


def test_server_not_listening_is_retryable_and_fast(closed_port: int, message: EmailMessage) -> None:
    started = time.monotonic()
    with pytest.raises(RetryableError) as err:
        SmtpMailer(SmtpSettings("127.0.0.1", closed_port, "none", timeout=5)).send(message)
    assert time.monotonic() - started < 2
    assert err.value.code == "smtp_unreachable"
    assert f"127.0.0.1:{closed_port}" in err.value.reason


def test_silent_server_times_out_as_retryable(message: EmailMessage) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = SmtpSettings("127.0.0.1", silent.getsockname()[1], "none", timeout=0.3)
        with pytest.raises(RetryableError) as err:
            SmtpMailer(settings).send(message)
    assert err.value.code == "smtp_unreachable"


@pytest.mark.parametrize("point", ["ehlo", "mail", "rcpt"])
def test_connection_dropped_before_the_message_is_retryable(sink: SmtpSink, message: EmailMessage,
                                                            point: str) -> None:
    sink.drop_at = point  # type: ignore[assignment]
    with pytest.raises(RetryableError):
        mailer(sink).send(message)
    assert sink.messages() == []


def test_connection_dropped_after_the_message_is_ambiguous(sink: SmtpSink, message: EmailMessage) -> None:
    sink.drop_at = "data"
    with pytest.raises(AmbiguousOutcomeError) as err:
        mailer(sink).send(message)
    assert BUYER_EMAIL in err.value.reason
    assert len(sink.messages()) == 1, "the server did keep it: exactly why a blind retry is wrong"


def test_starttls_not_offered_is_a_configuration_error(sink: SmtpSink, message: EmailMessage) -> None:
    with pytest.raises(PermanentError) as err:
        mailer(sink, security="starttls").send(message)
    assert err.value.code == "smtp_config" and "STARTTLS" in err.value.reason


def test_ssl_against_a_plain_server_is_a_tls_error(sink: SmtpSink, message: EmailMessage) -> None:
    with pytest.raises(PermanentError) as err:
        mailer(sink, security="ssl").send(message)
    assert err.value.code == "smtp_tls"


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated:DeprecationWarning")
def test_login_and_verify(sink: SmtpSink, message: EmailMessage) -> None:
    configured = mailer(sink, username="sklep", password="tajne")
    configured.verify()
    configured.send(message)
    assert len(sink.messages()) == 1
    assert "tajne" not in repr(configured.settings)


def test_lines_starting_with_a_dot_survive(sink: SmtpSink) -> None:
    msg = EmailMessage()
    msg["From"] = "faktury@zolw.example"
    msg["To"] = BUYER_EMAIL
    msg["Subject"] = "kropki"
    msg.set_content("pierwsza\n.\n..dwie\nkoniec\n", cte="7bit")
    mailer(sink).send(msg)
    assert sink.messages()[0].get_content() == "pierwsza\n.\n..dwie\nkoniec\n"


def test_message_without_sender_or_recipient_is_rejected_before_connecting(closed_port: int) -> None:
    msg = EmailMessage()
    msg["To"] = BUYER_EMAIL
    msg.set_content("x")
    with pytest.raises(PermanentError) as err:
        SmtpMailer(SmtpSettings("127.0.0.1", closed_port, "none")).send(msg)
    assert err.value.code == "email_invalid"
    with pytest.raises(PermanentError):
        SmtpMailer(SmtpSettings("127.0.0.1", closed_port, "tls")).send(msg)  # type: ignore[arg-type]
