"""The invoice PDF, read back with pypdf: figures, Polish letters, fonts, pages, hostile text."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from linkoptima_gui.core.documents.invoice_pdf import payment_state, render_invoice_pdf
from linkoptima_gui.core.domain.invoice import InvoiceDocument
from linkoptima_gui.core.domain.money import format_pln
from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.errors import PermanentError

from .conftest import BUYER, make_invoice


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf), strict=True)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def flat(text: str) -> str:
    """Extracted text with the non-breaking spaces of amounts made ordinary."""
    return text.replace("\u00a0", " ")


def test_contents_of_a_normal_invoice(invoice: InvoiceDocument) -> None:
    pdf = render_invoice_pdf(invoice)
    texts = page_texts(pdf)
    assert len(texts) == 1
    text = flat(texts[0])
    for expected in ("Faktura VAT nr FA/17/2026", "Miejsce wystawienia", "Łódź", "Data wystawienia", "2026-11-12",
                     "Data sprzedaży", "2026-11-10", "Sprzedawca".upper(), "Nabywca".upper(),
                     "Pracownia Żółwia Sp. z o.o.", "Zażółć Gęślą Jaźń Sp. j.", "ul. Źródlana 5", "80-180 Gdańsk",
                     "NIP: 7251234560", "NIP: 5260250274", "Zamówienie nr 10452", "Kubek ceramiczny Żółw",
                     "Książka „Łoś i jeż”", "KUB-ZOLW", "Strona 1 z 1", f"Zapłacono: {flat(format_pln(invoice.gross_total))} (Przelewy24)",
                     "Pozostało do zapłaty: 0,00",
                     "Sposób płatności"):
        assert expected in text, expected
    for header in ("Lp.", "Nazwa", "Kod", "J.m.", "Ilość", "Cena", "netto", "Wartość", "Stawka", "VAT", "Kwota",
                   "brutto"):
        assert header in text, header
    assert f"Razem do zapłaty: {flat(format_pln(invoice.gross_total))}" in text
    assert "Słownie: sto osiemdziesiąt cztery złote 48/100" in text
    for row in invoice.vat_rows:
        assert flat(format_pln(row.net, "")) in text and flat(format_pln(row.gross, "")) in text
    assert flat(format_pln(invoice.vat_total, "")) in text
    assert "Numer KSeF" not in text


def test_metadata_has_the_title(invoice: InvoiceDocument) -> None:
    meta = read(render_invoice_pdf(invoice)).metadata
    assert meta is not None
    assert meta.title == "Faktura VAT nr FA/17/2026"
    assert meta.author == "Pracownia Żółwia Sp. z o.o."


def test_only_embedded_dejavu_fonts(invoice: InvoiceDocument) -> None:
    reader = read(render_invoice_pdf(invoice))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    names = {name.split("+", 1)[-1] for name in fonts}
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}
    for font in fonts.values():
        assert "/FontFile2" in font["/FontDescriptor"], "TrueType subset must be embedded"


def test_payment_wording() -> None:
    paid = make_invoice()
    transfer = make_invoice(paid=False)
    cod = make_invoice(paid=False, cash_on_delivery=True, payment_method="Za pobraniem")
    assert payment_state(paid) == f"Zapłacono: {format_pln(paid.gross_total)} (Przelewy24). Pozostało do zapłaty: {format_pln(Decimal(0))}"
    assert payment_state(transfer) == "Termin płatności: 2026-11-26"
    assert payment_state(cod) == "Płatne przy odbiorze (za pobraniem)"
    transfer_text = flat(page_texts(render_invoice_pdf(transfer))[0])
    assert "Termin płatności" in transfer_text and "2026-11-26" in transfer_text
    assert "PL61 1090 1014 0000 0712 1981 2874" in transfer_text
    assert "Zapłacono" not in transfer_text
    cod_text = page_texts(render_invoice_pdf(cod))[0]
    assert "Płatne przy odbiorze (za pobraniem)" in cod_text


def test_ksef_number_private_buyer_and_notes() -> None:
    doc = make_invoice(ksef_number="7251234560-20261112-0A1B2C3D4E5F-AB",
                       buyer=replace(BUYER, name="Jan Kowalski", nip=""), notes=("Dziękujemy za zakupy!",))
    text = page_texts(render_invoice_pdf(doc))[0]
    assert "Numer KSeF: 7251234560-20261112-0A1B2C3D4E5F-AB" in text
    assert "Jan Kowalski" in text
    assert text.count("NIP:") == 1  # only the seller's
    assert "Dziękujemy za zakupy!" in text


def test_discount_column_appears_only_when_used() -> None:
    doc = make_invoice()
    assert "Rabat" not in page_texts(render_invoice_pdf(doc))[0]
    lines = (replace(doc.lines[0], discount_percent=Decimal("10")), *doc.lines[1:])
    text = page_texts(render_invoice_pdf(replace(doc, lines=lines)))[0]
    assert "Rabat" in text and "10%" in text


def test_three_hundred_lines_go_multi_page_with_the_header_repeated() -> None:
    doc = make_invoice(300)
    texts = page_texts(render_invoice_pdf(doc))
    pages = len(texts)
    assert pages > 2
    for number, text in enumerate(texts, start=1):
        assert f"Strona {number} z {pages}" in text
        assert "Lp." in text and "Nazwa" in text and "Ilość" in text, f"table header missing on page {number}"
        if number > 1:
            assert "Faktura VAT nr FA/17/2026 (ciąg dalszy)" in text
    everything = flat("\n".join(texts))
    assert "Razem do zapłaty" in texts[-1]
    cells = {line.strip() for line in everything.splitlines()}
    assert {str(n) for n in range(1, 301)} <= cells, "every line number is printed once the table splits"


def test_long_names_emoji_and_right_to_left_text_still_render() -> None:
    long_name = "Przedsiębiorstwo Handlowo-Usługowe „Źdźbło” " * 12
    buyer = replace(
        BUYER,
        name=long_name + "😀 שלום مرحبا",
        address=Address(street="ul. " + "Bardzodługanazwaulicy" * 20 + " 5", city="Gdańsk <b>&amp;\x00",
                        postcode="80-180", country="DE"),
    )
    doc = make_invoice(5, buyer=buyer, notes=("x" * 2500,))
    lines = (replace(doc.lines[0], name="Ż" * 3000 + " 🎉 ✓", code="SKU-" * 40), *doc.lines[1:])
    pdf = render_invoice_pdf(replace(doc, lines=lines))
    text = "\n".join(page_texts(pdf))
    assert "Przedsiębiorstwo Handlowo-Usługowe „Źdźbło”" in text
    assert all(ch in text for ch in "שלוםمرحبا"), "right-to-left letters must survive"
    assert "\ufffd" in text, "a glyph the font lacks becomes a visible replacement, not garbage"
    assert "Gdańsk <b>&amp;" in text, "markup in data is printed as text"
    assert "Bardzodługanazwaulicy" in text and "DE" in text
    assert text.count("Ż") >= 3000, "a very long name is wrapped and continued, never cut"
    assert "Razem do zapłaty" in text


def test_logo(tmp_path: Path, invoice: InvoiceDocument) -> None:
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (400, 100), (30, 90, 160)).save(logo)
    with_logo = render_invoice_pdf(invoice, logo=logo)
    reader = read(with_logo)
    assert reader.pages[0].images, "the logo is drawn on the first page"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(PermanentError) as err:
        render_invoice_pdf(invoice, logo=broken)
    assert err.value.code == "invoice_logo"
