"""Building the correction e-mail: headers, wording, the attached PDF, the Message-ID, the
shop's template override and broken templates failing like the invoice e-mail's."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError

from linkoptima_gui.core.documents.correction_email import build_correction_email, correction_attachment_name
from linkoptima_gui.core.documents.correction_pdf import render_correction_pdf
from linkoptima_gui.core.documents.invoice_email import TemplateSecurityError, build_invoice_email
from linkoptima_gui.core.domain.correction import CorrectionDocument
from linkoptima_gui.core.errors import PermanentError

from .conftest import BUYER, make_invoice
from .correction_factory import make_correction

PDF = b"%PDF-1.4\n% korekta\n"


def correction(**changes: object) -> CorrectionDocument:
    """The mug (29,99 zł) of the sample FA comes back."""
    return make_correction(make_invoice(), returns={1: 1}, **changes)


def build(doc: CorrectionDocument, pdf: bytes = PDF, **kwargs: object) -> EmailMessage:
    options: dict[str, object] = {"sender": "faktury@zolw.example", "shop_name": "Sklep Żółw"}
    options.update(kwargs)
    msg = build_correction_email(doc, pdf, **options)  # type: ignore[arg-type]
    return BytesParser(policy=policy.default).parsebytes(msg.as_bytes())  # type: ignore[return-value]


def bodies(msg: EmailMessage) -> tuple[str, str]:
    return (msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content())  # type: ignore[union-attr]


def test_headers_wording_and_the_attached_pdf() -> None:
    doc = correction()
    pdf = render_correction_pdf(doc)
    msg = build(doc, pdf, reply_to="Obsługa <pomoc@zolw.example>")
    assert msg["To"].addresses[0].addr_spec == "jan.kowalski@example.com"
    assert msg["To"].addresses[0].display_name == "Zażółć Gęślą Jaźń Sp. j."
    assert msg["From"].addresses[0].display_name == "Sklep Żółw"
    assert msg["Reply-To"].addresses[0].addr_spec == "pomoc@zolw.example"
    assert str(msg["Subject"]) == "Faktura korygująca FAKI/3/2026 do faktury FA/17/2026 – Sklep Żółw"
    types = [part.get_content_type() for part in msg.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "Korekta_FAKI_3_2026.pdf"
    assert attachment.get_content() == pdf
    for body in bodies(msg):
        assert "Dzień dobry" in body and "FAKI/3/2026" in body and "FA/17/2026" in body and "12.11.2026" in body
        assert "Kwota do zwrotu: 29,99 zł" in body
        assert "Zwrot towaru: odstąpienie od umowy (art. 27)" in body
        assert "Krajowym Systemie" not in body
    assert "Przelewy24" in bodies(msg)[0]


def test_wording_follows_the_correction() -> None:
    unpaid = correction(original=make_invoice(paid=False), reason="")
    plain, html = bodies(build(unpaid))
    assert "zmniejsza się o 29,99 zł" in plain and "zmniejsza się o 29,99 zł" in html
    assert "do zwrotu" not in plain.lower() and "Przyczyna korekty" not in plain
    ksef = bodies(build(correction(ksef_number="7251234560-20261120-1F2E3D4C5B6A-3D")))[0]
    assert "pod numerem 7251234560-20261120-1F2E3D4C5B6A-3D" in ksef


def test_message_id_is_stable_and_not_the_invoices() -> None:
    doc = correction()
    first = build(doc)["Message-ID"]
    assert first == build(doc, sender="Sklep <faktury@zolw.example>")["Message-ID"]
    assert first != build(replace(doc, number="FAKI/4/2026"))["Message-ID"]
    invoice_id = build_invoice_email(doc.original, PDF, sender="faktury@zolw.example", shop_name="S")["Message-ID"]
    assert first != invoice_id and first.endswith("@zolw.example>")
    assert correction_attachment_name("FAKW/12/2026/SKLEP") == "Korekta_FAKW_12_2026_SKLEP.pdf"


def test_missing_or_bad_addresses_are_permanent() -> None:
    with pytest.raises(PermanentError) as err:
        build(correction(original=make_invoice(buyer=replace(BUYER, email=""))))
    assert err.value.code == "email_missing" and "FAKI/3/2026" in err.value.reason
    with pytest.raises(PermanentError) as err:
        build(correction(original=make_invoice(buyer=replace(BUYER, email="jan kowalski@"))))
    assert err.value.code == "email_invalid"
    with pytest.raises(PermanentError) as err:
        build(correction(), sender="not-an-address")
    assert err.value.code == "email_invalid"


def test_shop_template_overrides_one_file_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "correction_email_subject.j2").write_text(
        "Zwrot {{ amount }} – korekta {{ number }}\nBcc: intruz@example.com", encoding="utf-8")
    msg = build(correction(), template_dir=tmp_path)
    assert msg["Subject"] == "Zwrot 29,99 zł – korekta FAKI/3/2026 Bcc: intruz@example.com", "no header injection"
    assert msg["Bcc"] is None
    assert "Kwota do zwrotu: 29,99 zł" in bodies(msg)[0], "the other templates stay the shipped ones"


def test_html_in_data_is_escaped_in_html_only() -> None:
    msg = build(correction(reason="<script>alert(1)</script>"))
    plain, html = bodies(msg)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in plain


def test_broken_templates_fail_like_the_invoice_email(tmp_path: Path) -> None:
    (tmp_path / "correction_email.txt.j2").write_text("Korekta {{ numer }}", encoding="utf-8")
    with pytest.raises(PermanentError) as err:
        build(correction(), template_dir=tmp_path)
    assert err.value.code == "email_template"
    assert "correction_email.txt.j2" in err.value.reason and "numer" in err.value.reason
    (tmp_path / "correction_email.txt.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(PermanentError) as err:
        build(correction(), template_dir=tmp_path)
    assert err.value.code == "email_template"
    (tmp_path / "correction_email.txt.j2").unlink()
    (tmp_path / "correction_email.html.j2").write_text("{{ correction.__class__.__init__.__globals__ }}",
                                                       encoding="utf-8")
    with pytest.raises(SecurityError) as unsafe:
        build(correction(), template_dir=tmp_path)
    assert isinstance(unsafe.value, TemplateSecurityError) and unsafe.value.code == "email_template_unsafe"
