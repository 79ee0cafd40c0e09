"""Building the invoice e-mail: headers, parts, Polish letters, Message-ID, and template safety."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError

from linkoptima_gui.core.documents.invoice_email import (
    TemplateSecurityError,
    attachment_name,
    build_invoice_email,
    invoice_message_id,
)
from linkoptima_gui.core.domain.invoice import InvoiceDocument
from linkoptima_gui.core.errors import PermanentError

from .conftest import BUYER, make_invoice

PDF = b"%PDF-1.4\n% test\n"


def build(doc: InvoiceDocument, **kwargs: object) -> EmailMessage:
    options: dict[str, object] = {"sender": "faktury@zolw.example", "shop_name": "Sklep Żółw"}
    options.update(kwargs)
    return build_invoice_email(doc, PDF, **options)  # type: ignore[arg-type]


def reparse(msg: EmailMessage) -> EmailMessage:
    """What the receiving side sees after the message went through the wire format."""
    return BytesParser(policy=policy.default).parsebytes(msg.as_bytes())  # type: ignore[return-value]


def test_headers_parts_and_attachment(invoice: InvoiceDocument) -> None:
    msg = reparse(build(invoice, reply_to="Obsługa <pomoc@zolw.example>"))
    assert msg["To"].addresses[0].addr_spec == "jan.kowalski@example.com"
    assert msg["To"].addresses[0].display_name == "Zażółć Gęślą Jaźń Sp. j."
    assert msg["From"].addresses[0].addr_spec == "faktury@zolw.example"
    assert msg["From"].addresses[0].display_name == "Sklep Żółw"
    assert msg["Reply-To"].addresses[0].addr_spec == "pomoc@zolw.example"
    assert str(msg["Subject"]) == "Faktura FA/17/2026 do zamówienia nr 10452 – Sklep Żółw"
    assert msg["Date"]
    assert msg.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in msg.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "Faktura_FA_17_2026.pdf"
    assert attachment.get_content() == PDF
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for body in (plain, html):
        assert "FA/17/2026" in body and "184,48 zł" in body and "Przelewy24" in body
        assert "Dzień dobry" in body


def test_headers_are_encoded_for_the_wire(invoice: InvoiceDocument) -> None:
    raw = build(invoice).as_bytes()
    head = raw.split(b"\n\n", 1)[0]
    assert head.isascii(), "Polish letters in headers travel as RFC 2047 encoded words"
    assert b"=?utf-8?" in head


def test_message_id_is_deterministic(invoice: InvoiceDocument) -> None:
    first = build(invoice)["Message-ID"]
    again = build(invoice)["Message-ID"]
    other = build(replace(invoice, number="FA/18/2026"))["Message-ID"]
    assert first == again
    assert first != other
    assert first.startswith("<faktura.FA.17.2026.") and first.endswith("@zolw.example>")
    assert invoice_message_id("FA/17/2026", "zolw.example") != invoice_message_id("FA-17-2026", "zolw.example")
    named = build(invoice, sender="Sklep <faktury@zolw.example>")
    assert named["Message-ID"] == first
    assert named["From"].addresses[0].display_name == "Sklep"


def test_attachment_name() -> None:
    assert attachment_name("FA/17/2026") == "Faktura_FA_17_2026.pdf"
    assert attachment_name("FA/1/2026/SKLEP") == "Faktura_FA_1_2026_SKLEP.pdf"


def test_payment_wording_follows_the_invoice() -> None:
    transfer = build(make_invoice(paid=False)).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Prosimy o zapłatę do 26.11.2026" in transfer and "PL61 1090" in transfer
    cod = build(make_invoice(paid=False, cash_on_delivery=True)).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "za pobraniem" in cod and "Prosimy" not in cod
    ksef = build(make_invoice(ksef_number="KSEF-123")).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "KSEF-123" in ksef


def test_html_in_data_is_escaped_in_html_only() -> None:
    doc = make_invoice(order_number="<script>alert(1)</script>")
    msg = build(doc, shop_name="Sklep & <b>Żółw</b>")
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Sklep &amp; &lt;b&gt;Żółw&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" in plain, "plain text is not HTML: shown as typed"


def test_missing_or_bad_buyer_address_is_permanent() -> None:
    with pytest.raises(PermanentError) as err:
        build(make_invoice(buyer=replace(BUYER, email="")))
    assert err.value.code == "email_missing"
    with pytest.raises(PermanentError) as err:
        build(make_invoice(buyer=replace(BUYER, email="jan kowalski@")))
    assert err.value.code == "email_invalid"
    with pytest.raises(PermanentError) as err:
        build(make_invoice(), sender="not-an-address")
    assert err.value.code == "email_invalid"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ invoice.__class__.__init__.__globals__ }}",
        "{{ number.format.__globals__ }}",
    ],
)
def test_template_cannot_reach_python_internals(tmp_path: Path, source: str) -> None:
    (tmp_path / "invoice_email_subject.j2").write_text(source, encoding="utf-8")
    with pytest.raises(SecurityError) as err:
        build(make_invoice(), template_dir=tmp_path)
    assert isinstance(err.value, PermanentError) and isinstance(err.value, TemplateSecurityError)
    assert err.value.code == "email_template_unsafe"
    assert "szablon" in err.value.reason.lower()


def test_shop_template_overrides_one_file_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "invoice_email_subject.j2").write_text(
        "Twoja faktura {{ number }}\nBcc: intruz@example.com", encoding="utf-8")
    msg = build(make_invoice(), template_dir=tmp_path)
    assert msg["Subject"] == "Twoja faktura FA/17/2026 Bcc: intruz@example.com", "no header injection"
    assert msg["Bcc"] is None
    assert "Dzień dobry" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_template_typo_stops_with_a_readable_reason(tmp_path: Path) -> None:
    (tmp_path / "invoice_email.txt.j2").write_text("Faktura {{ numer }}", encoding="utf-8")
    with pytest.raises(PermanentError) as err:
        build(make_invoice(), template_dir=tmp_path)
    assert err.value.code == "email_template"
    assert "invoice_email.txt.j2" in err.value.reason and "numer" in err.value.reason
    (tmp_path / "invoice_email.txt.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(PermanentError) as err:
        build(make_invoice(), template_dir=tmp_path)
    assert err.value.code == "email_template"
    build(make_invoice(), template_dir=tmp_path / "missing")  # a missing folder falls back to the defaults
