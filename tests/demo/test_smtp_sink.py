"""The demo SMTP sink on its own, spoken to with plain smtplib (no console code in between)."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from linkoptima_gui.demo.smtp_sink import SmtpSink


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    server = SmtpSink(tmp_path / "poczta")
    server.start()
    yield server
    server.stop()


def letter(to: str = "ola@example.com", subject: str = "Zażółć gęślą jaźń") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "sklep@example.com"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content("Treść z ogonkami: ąęśćżźńół\n")
    return msg


def send(sink: SmtpSink, msg: EmailMessage, **kwargs: object) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
        return client.send_message(msg, **kwargs)  # type: ignore[arg-type]


def test_starts_on_a_free_port_and_stores_parsed_messages(sink: SmtpSink) -> None:
    assert sink.running and sink.host == "127.0.0.1" and sink.port > 0
    send(sink, letter())
    send(sink, letter(subject="druga"), to_addrs=["ola@example.com", "ukryty@example.com"])
    files = sorted(sink.folder.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"], "only whole messages, no temp files left"
    first, second = sink.messages()
    assert str(first["Subject"]) == "Zażółć gęślą jaźń"
    assert first.get_content() == "Treść z ogonkami: ąęśćżźńół\n"
    assert first["X-Envelope-From"] == "<sklep@example.com>"
    assert str(second["Subject"]) == "druga", "oldest first"
    assert "ukryty@example.com" in second["X-Envelope-To"]
    assert sink.paths() == files


def test_half_written_files_are_never_messages(sink: SmtpSink, tmp_path: Path) -> None:
    (sink.folder / ".00000000000000000001-deadbeef.part").write_bytes(b"Subject: urwane\r\n\r\npo")
    assert sink.messages() == []
    sink.stop()
    sink.start()  # a restart after a crash sweeps the leftovers away
    assert list(sink.folder.iterdir()) == []
    send(sink, letter())
    assert len(sink.messages()) == 1


def test_refuse_and_defer_recipients(sink: SmtpSink) -> None:
    sink.refuse_recipients.add("Zly@Example.com")
    sink.defer_recipients.add("pozniej@example.com")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
        send(sink, letter(to="zly@example.com"))
    assert err.value.recipients["zly@example.com"][0] == 550
    refused = send(sink, letter(), to_addrs=["ola@example.com", "pozniej@example.com"])
    assert refused["pozniej@example.com"][0] == 451
    [stored] = sink.messages()
    assert stored["X-Envelope-To"] == "<ola@example.com>"


def test_drop_the_connection(sink: SmtpSink) -> None:
    sink.drop_at = "mail"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(sink, letter())
    assert sink.messages() == []
    sink.drop_at = "data"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(sink, letter())
    assert len(sink.messages()) == 1, "stored, then cut before the reply"
    sink.drop_at = None
    send(sink, letter())
    assert len(sink.messages()) == 2


def test_stop_closes_the_port_and_clear_empties_the_mailbox(tmp_path: Path) -> None:
    with SmtpSink(tmp_path / "box") as sink:
        send(sink, letter())
        port = sink.port
    assert not sink.running
    with pytest.raises(OSError), smtplib.SMTP("127.0.0.1", port, timeout=2):
        pass
    assert len(sink.messages()) == 1, "messages outlive the server"
    sink.clear()
    assert sink.messages() == []
