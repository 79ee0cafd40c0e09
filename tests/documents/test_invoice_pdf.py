"""The invoice PDF, read back with pypdf: figures, Polish letters, fonts, pages, hostile text."""

from __future__ import annotations

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.units import mm

from linkoptima_gui.core.documents.invoice_pdf import (
    has_discount,
    ksef_qr_drawing,
    ksef_qr_label,
    payment_state,
    price_before_discount,
    render_invoice_pdf,
)
from linkoptima_gui.core.domain.invoice import InvoiceDocument
from linkoptima_gui.core.domain.money import format_pln
from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.errors import PermanentError

from .conftest import BUYER, make_invoice, make_line

KSEF_NUMBER = "5260250274-20261112-0A1B2C3D4E5F-7C"
KSEF_URL = "https://qr-demo.ksef.mf.gov.pl/invoice/5260250274/12-11-2026/Xq3vR8_kLm2-Tn9pYw4sZa7Bc1Df5Gh6Jk0Ee8Uo3Ii"


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


def cells(text: str) -> list[str]:
    """The extracted text as table cells: pypdf puts each cell on its own line."""
    return [line.strip() for line in flat(text).splitlines()]


def rasterise(pdf: bytes, tmp_path: Path, dpi: int = 200) -> list[Path]:
    """Pages as PNGs, the way a scanner or a phone would see the printout (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "invoice.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True,
                   timeout=60)
    return sorted(tmp_path.glob("page-*.png"))


def test_discounted_line_shows_the_price_before_the_discount_and_the_booked_values() -> None:
    doc = make_invoice()
    # Booked at 40,00 net after 20 %: the list price was 50,00; the values stay as Optima booked them.
    lamp = replace(make_line(5, "LAMPA", "Lampa biurkowa", VatRate.R23, Decimal("49.20"), "szt.", Decimal(2)),
                   discount_percent=Decimal("20"))
    assert (lamp.unit_net, lamp.net, lamp.vat, lamp.gross) == (Decimal("40.00"), Decimal("80.00"),
                                                               Decimal("18.40"), Decimal("98.40"))
    discounted = replace(doc, lines=(*doc.lines, lamp))
    assert has_discount(discounted)
    row = cells(page_texts(render_invoice_pdf(discounted))[0])
    assert "Rabat" in row
    at = row.index("Lampa biurkowa")
    assert row[at + 1:at + 9] == ["LAMPA", "szt.", "2", "50,00", "20%", "80,00", "23%", "18,40"]
    at = row.index("Kubek ceramiczny Żółw")
    assert row[at + 1:at + 9] == ["KUB-ZOLW", "szt.", "1", "24,38", "0%", "24,38", "23%", "5,61"], \
        "a line without a discount keeps its price and shows 0%"


def test_no_discount_column_without_a_discount_or_for_a_surcharge() -> None:
    doc = make_invoice()
    surcharge = replace(doc, lines=(replace(doc.lines[0], discount_percent=Decimal("-5")), *doc.lines[1:]))
    for plain in (doc, surcharge):
        assert not has_discount(plain)
        row = cells(page_texts(render_invoice_pdf(plain))[0])
        assert "Rabat" not in row
        at = row.index("Kubek ceramiczny Żółw")
        assert row[at + 1:at + 8] == ["KUB-ZOLW", "szt.", "1", "24,38", "24,38", "23%", "5,61"]


def test_price_before_discount() -> None:
    line = make_line(1, "X", "X", VatRate.R23, Decimal("12.30"), "szt.")  # 10,00 net
    assert price_before_discount(line) == Decimal("10.00")
    assert price_before_discount(replace(line, discount_percent=Decimal("12.5"))) == Decimal("11.43")
    assert price_before_discount(replace(line, unit_net=Decimal("6.70"), discount_percent=Decimal("33"))) \
        == Decimal("10.00")
    free = replace(line, unit_net=Decimal("0.00"), net=Decimal("0.00"), vat=Decimal("0.00"), gross=Decimal("0.00"),
                   discount_percent=Decimal("100"))
    assert price_before_discount(free) is None
    doc = make_invoice()
    row = cells(page_texts(render_invoice_pdf(replace(doc, lines=(*doc.lines[:3], free))))[0])
    at = row.index("X", row.index("Czasopismo kwartalnik Sowa"))
    assert row[at + 4:at + 7] == ["\u2014", "100%", "0,00"], "a price that cannot be known is a dash, not 0,00"


def test_ksef_qr_drawing_carries_the_verification_link() -> None:
    assert ksef_qr_drawing(make_invoice(ksef_number=KSEF_NUMBER)) is None, "no link, no code"
    drawing = ksef_qr_drawing(make_invoice(ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL))
    assert drawing is not None
    (widget,) = [item for item in drawing.contents if isinstance(item, QrCodeWidget)]
    assert widget.value == KSEF_URL
    assert widget.barLevel == "M"
    assert 25 * mm <= drawing.width == drawing.height <= 30 * mm
    assert ksef_qr_label(make_invoice(ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL)) == KSEF_NUMBER
    assert ksef_qr_label(make_invoice(ksef_url=KSEF_URL)) == "OFFLINE"


@pytest.mark.parametrize("paid", [True, False])
def test_ksef_qr_code_is_printed_with_its_number_and_scans(tmp_path: Path, paid: bool) -> None:
    doc = make_invoice(ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL, paid=paid)
    pdf = render_invoice_pdf(doc)
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert f"Numer KSeF: {KSEF_NUMBER}" in texts[0]
    assert texts[0].count(KSEF_NUMBER) == 2, "the header line and the label under the code"
    zxingcpp = pytest.importorskip("zxingcpp")
    (page,) = rasterise(pdf, tmp_path)
    found = [(code.format, code.text) for code in zxingcpp.read_barcodes(PILImage.open(page))]
    assert found == [(zxingcpp.BarcodeFormat.QRCode, KSEF_URL)]


def test_ksef_qr_without_a_number_is_labelled_offline() -> None:
    text = page_texts(render_invoice_pdf(make_invoice(ksef_url=KSEF_URL)))[0]
    assert "OFFLINE" in text and "Numer KSeF" not in text


def pages(doc: InvoiceDocument) -> int:
    return len(read(render_invoice_pdf(doc)).pages)


@pytest.mark.parametrize(("paid", "cod"), [(True, False), (False, False), (False, True)])
def test_ksef_qr_keeps_a_full_one_page_invoice_on_one_page(paid: bool, cod: bool) -> None:
    # As many lines as fit on one page with the KSeF number but without the code.
    full = make_invoice(1, ksef_number=KSEF_NUMBER, paid=paid, cash_on_delivery=cod)
    while pages(bigger := make_invoice(len(full.lines) + 1, ksef_number=KSEF_NUMBER, paid=paid,
                                       cash_on_delivery=cod)) == 1:
        full = bigger
    assert len(full.lines) > 10
    assert pages(replace(full, ksef_url=KSEF_URL)) == 1


def test_ksef_qr_on_the_last_page_of_a_long_invoice(tmp_path: Path) -> None:
    pdf = render_invoice_pdf(make_invoice(300, ksef_number=KSEF_NUMBER, ksef_url=KSEF_URL))
    texts = page_texts(pdf)
    assert KSEF_NUMBER in texts[0]
    assert KSEF_NUMBER in texts[-1] and "Razem do zapłaty" in texts[-1]
    assert all(KSEF_NUMBER not in text for text in texts[1:-1])


def test_ksef_label_of_any_length_stays_text_and_on_the_page() -> None:
    odd = "X" * 200 + " <b>&amp;\x00 Żółw"
    text = page_texts(render_invoice_pdf(make_invoice(ksef_number=odd, ksef_url=KSEF_URL)))
    assert len(text) == 1
    assert "<b>&amp; Żółw" in text[0], "markup in the number is printed as text, control characters dropped"
    assert text[0].count("<b>&amp;") == 2, "under the code too, wrapped within its column"


def test_invoices_rendered_by_many_threads_at_once_are_all_whole() -> None:
    """The engine's workers render at the same time; reportlab's font state is shared."""
    documents = [make_invoice(lines=n % 30 + 1, number=f"FA/{n}/2026") for n in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        pdfs = list(pool.map(render_invoice_pdf, documents))
    for n, pdf in enumerate(pdfs):
        assert f"FA/{n}/2026" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
