"""The invoice PDF (A4), drawn from an ``InvoiceDocument`` exactly as Optima booked it.

The renderer computes no money: every figure comes from the document, so the PDF can never
disagree with the books. Its own jobs are the ones a printout gets wrong: Polish letters (DejaVu
fonts, embedded), text of any length (everything wraps, the lines table splits across pages with
its header repeated), "Strona n z N" (the page count is only known at the end, so pages are held
back and numbered when the document is saved), and the payment wording the buyer reads first.

Two things the law adds to the picture: the KSeF "KOD I" QR code (the verification link, labelled
with the KSeF number; reference §3.5), drawn beside the payment box so it costs no page height,
and a "Rabat" column when a line carries a discount not already in its price (art. 106e ust. 1
pkt 10), with the unit price shown before that discount.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ..domain.invoice import InvoiceDocument, InvoiceLine, Party
from ..domain.money import format_pln, round_grosz
from ..errors import PermanentError
from .amount_words import amount_in_words
from .fonts import BOLD, REGULAR, one_at_a_time, register_fonts

MARGIN = 15 * mm  # visible page margin
FRAME_PAD = 6  # platypus frames pad their content by 6 pt; the document margins make up for it
CONTENT_WIDTH = A4[0] - 2 * MARGIN
PAD = 3  # points of left/right padding in every table cell
GRID = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#e8ecf0")
STRIPE = colors.HexColor("#f6f8fa")
INK_SOFT = colors.HexColor("#4a5561")
# Every table names its font: a cell without one makes reportlab pull in (unembedded) Helvetica.
_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 8.5)
# KSeF QR, quiet zone included: a ~100-character link is 45 modules + 8 of quiet zone, so 25-30 mm
# gives 0.47-0.57 mm modules, which a phone reads off an office print. The column holds the
# 35-character KSeF number in one line at 6.5 pt and leaves the payment box ~118 mm, enough for
# the "Zapłacono: ..." sentence of an ordinary order to stay on one line.
QR_MIN_SIZE = 25 * mm
QR_MAX_SIZE = 30 * mm
QR_COLUMN = 54 * mm
QR_LABEL_SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)
OFFLINE_LABEL = "OFFLINE"  # the label while KSeF has not assigned a number yet (reference §3.5)
_AMOUNT_CURRENCY = re.compile(r"(\d) zł")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def _supported_codepoints() -> frozenset[int]:
    """Characters both DejaVu faces can draw (and reportlab can map back to text)."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (REGULAR, BOLD)]  # type: ignore[attr-defined]
    # Astral characters (most emoji) are left out: reportlab writes a broken ToUnicode entry
    # for them, which makes the text unreadable for PDF readers and search.
    return frozenset(cp for cp in faces[0] if cp in faces[1] and cp <= 0xFFFF)


def clean_text(value: object) -> str:
    """Text a PDF font can carry: control characters dropped, unknown glyphs as U+FFFD."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    known = _supported_codepoints()
    return "".join(ch if ch in "\n\t" or ord(ch) in known else "\ufffd" for ch in text)


def _markup(value: object) -> str:
    """Paragraph markup for untrusted text: escaped, line breaks kept."""
    return escape(clean_text(value)).replace("\n", "<br/>")


def _amount(value: Decimal) -> str:
    return format_pln(value, currency="")


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _day(value: date) -> str:
    return value.strftime("%Y-%m-%d")


class _Styles:
    """The few paragraph styles of the invoice, all DejaVu (base-14 fonts lack ą, ł, ż)."""

    def __init__(self, table_size: float = 7.5) -> None:
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5, textColor=INK_SOFT)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=BOLD)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=16, leading=20)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=BOLD, fontSize=8, textColor=INK_SOFT)
        self.due = ParagraphStyle("due", parent=self.body, fontName=BOLD, fontSize=13, leading=17)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=table_size, leading=table_size * 1.25)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD, alignment=TA_CENTER)
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)


class _NumberedCanvas(Canvas):
    """Holds every finished page back until ``save`` so each footer can say "Strona n z N"."""

    def __init__(self, *args: object, footer: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._footer = footer
        self._held: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, 12 * mm, A4[0] - MARGIN, 12 * mm)
        self.setFont(REGULAR, 7.5)
        self.setFillColor(INK_SOFT)
        self.drawString(MARGIN, 8 * mm, self._footer)
        self.drawRightString(A4[0] - MARGIN, 8 * mm, f"Strona {number} z {total}")
        self.restoreState()


def _continued_header(title: str, canvas: Canvas, _doc: object) -> None:
    """On pages after the first, say whose invoice the loose sheet belongs to."""
    canvas.saveState()
    canvas.setFont(REGULAR, 7.5)
    canvas.setFillColor(INK_SOFT)
    canvas.drawString(MARGIN, A4[1] - 10 * mm, f"{title} (ciąg dalszy)")
    canvas.restoreState()


def _logo(path: Path) -> Image:
    """The shop logo, scaled into 50 x 18 mm with its proportions kept."""
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception as exc:  # noqa: BLE001 - reportlab/PIL raise many kinds for a bad file
        raise PermanentError(
            f"Nie można odczytać pliku logo faktury: {path}", code="invoice_logo", details={"path": str(path)}
        ) from exc
    scale = min(50 * mm / width, 18 * mm / height)
    image = Image(str(path), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _key_values(rows: Sequence[tuple[str, str]], s: _Styles, key_width: float, width: float) -> Table:
    data = [[Paragraph(_markup(k), s.small), Paragraph(_markup(v), s.bold)] for k, v in rows]
    table = Table(data, colWidths=[key_width, width - key_width], hAlign="LEFT")
    table.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _header(doc: InvoiceDocument, s: _Styles, logo: Path | None) -> list[Flowable]:
    left: list[Flowable] = [_logo(logo), Spacer(1, 3 * mm)] if logo else []
    left.append(Paragraph(_markup(f"Faktura VAT nr {doc.number}"), s.title))
    if doc.order_number:
        left.append(Paragraph(_markup(f"Zamówienie nr {doc.order_number}"), s.body))
    if doc.ksef_number:
        left.append(Paragraph(f"Numer KSeF: <font name='{BOLD}'>{_markup(doc.ksef_number)}</font>", s.body))
    right = _key_values(
        [("Miejsce wystawienia:", doc.place), ("Data wystawienia:", _day(doc.issue_date)),
         ("Data sprzedaży:", _day(doc.sale_date))], s, 32 * mm, 70 * mm)
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - 70 * mm, 70 * mm])
    table.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 6 * mm)]


def _party(label: str, party: Party, s: _Styles) -> list[Flowable]:
    cells: list[Flowable] = [Paragraph(_markup(label.upper()), s.heading), Paragraph(_markup(party.name), s.bold)]
    address = party.address
    for text in (address.street, f"{address.postcode} {address.city}".strip()):
        if text:
            cells.append(Paragraph(_markup(text), s.body))
    if address.country and address.country.upper() != "PL":
        cells.append(Paragraph(_markup(address.country), s.body))
    if party.nip:
        cells.append(Paragraph(_markup(f"NIP: {party.nip}"), s.body))
    return cells


def _parties(doc: InvoiceDocument, s: _Styles) -> list[Flowable]:
    half = CONTENT_WIDTH / 2
    table = Table([[_party("Sprzedawca", doc.seller, s), _party("Nabywca", doc.buyer, s)]],
                  colWidths=[half, half], splitInRow=1)
    table.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (0, 0), 0.5, GRID),
                               ("BOX", (1, 0), (1, 0), 0.5, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table, Spacer(1, 6 * mm)]


_NUMERIC_HEADERS = ("Ilość", "Cena netto", "Wartość netto", "Stawka VAT", "Kwota VAT", "Wartość brutto")


def has_discount(doc: InvoiceDocument) -> bool:
    """Whether the lines table needs its "Rabat" column (a surcharge, below zero, is not one)."""
    return any(line.discount_percent > 0 for line in doc.lines)


def price_before_discount(line: InvoiceLine) -> Decimal | None:
    """The unit net price before the line's discount, as the buyer saw it in the shop.

    ``unit_net`` is the price after the discount (Optima's TrE_CenaT, or net value / quantity),
    and the document carries no other price, so the list price is taken back from it and rounded
    to the grosz. ``None`` for a 100 % discount, where nothing can be taken back.
    """
    if line.discount_percent <= 0:
        return line.unit_net
    if line.discount_percent >= 100:
        return None
    return round_grosz(line.unit_net * 100 / (100 - line.discount_percent))


def _line_cells(line: InvoiceLine, with_discount: bool) -> tuple[list[str], list[str]]:
    """(text columns, numeric columns) of one line, already formatted.

    With the discount column the price is the one before the discount while the values stay
    as booked, so "price x quantity - discount = value" can be read across the row.
    """
    texts = [str(line.position), line.name, line.code, line.unit]
    price = price_before_discount(line) if with_discount else line.unit_net
    numbers = [_quantity(line.quantity), "\u2014" if price is None else _amount(price), _amount(line.net),
               line.rate.label, _amount(line.vat), _amount(line.gross)]
    if with_discount:
        discount = line.discount_percent if line.discount_percent > 0 else Decimal(0)
        numbers.insert(2, f"{_quantity(discount)}%")
    return texts, numbers


def _fit_width(texts: Sequence[str], header: str, size: float, cap: float | None = None) -> float:
    """Column width that holds the widest cell unbroken and each header word (header may wrap)."""
    widest = max((pdfmetrics.stringWidth(clean_text(t), REGULAR, size) for t in texts), default=0.0)
    word = max(pdfmetrics.stringWidth(w, BOLD, size) for w in header.split())
    width = max(widest, word) + 2 * PAD + 1
    return min(width, cap) if cap else width


def _lines_table(doc: InvoiceDocument, with_discount: bool) -> Table:
    headers = ["Lp.", "Nazwa", "Kod", "J.m.", *_NUMERIC_HEADERS]
    if with_discount:
        headers.insert(6, "Rabat")
    rows = [_line_cells(line, with_discount) for line in doc.lines]
    # Numbers never wrap, so their columns take what they need and the name gets the rest;
    # a very wide invoice (huge amounts) shrinks the type instead of squeezing names to nothing.
    for size in (7.5, 7.0, 6.5, 6.0, 5.5):
        s = _Styles(size)
        widths = [_fit_width([r[0][0] for r in rows], "Lp.", size),
                  0.0,
                  _fit_width([r[0][2] for r in rows], "Kod", size, cap=26 * mm),
                  _fit_width([r[0][3] for r in rows], "J.m.", size, cap=14 * mm)]
        widths += [_fit_width([r[1][i] for r in rows], h, size) for i, h in enumerate(headers[4:])]
        widths[1] = CONTENT_WIDTH - sum(widths)
        if widths[1] >= 40 * mm:
            break
    widths[1] = max(widths[1], 20 * mm)
    data: list[list[object]] = [[Paragraph(_markup(h), s.head) for h in headers]]
    for texts, numbers in rows:
        data.append([texts[0], Paragraph(_markup(texts[1]), s.cell), Paragraph(_markup(texts[2]), s.cell),
                     Paragraph(_markup(texts[3]), s.cell), *numbers])
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    style = [("FONT", (0, 0), (-1, -1), REGULAR, s.cell.fontSize), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
             ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
             ("VALIGN", (0, 1), (-1, -1), "TOP"), ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
             ("ALIGN", (0, 1), (0, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), PAD),
             ("RIGHTPADDING", (0, 0), (-1, -1), PAD)]
    style += [("BACKGROUND", (0, row), (-1, row), STRIPE) for row in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _vat_summary(doc: InvoiceDocument, s: _Styles) -> Table:
    data: list[list[object]] = [[Paragraph(h, s.head) for h in ("Stawka VAT", "Wartość netto", "Kwota VAT",
                                                                  "Wartość brutto")]]
    data += [[row.rate.label, _amount(row.net), _amount(row.vat), _amount(row.gross)] for row in doc.vat_rows]
    data.append(["Razem", _amount(doc.net_total), _amount(doc.vat_total), _amount(doc.gross_total)])
    table = Table(data, colWidths=[24 * mm, 27 * mm, 27 * mm, 27 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 8), ("FONT", (0, -1), (-1, -1), BOLD, 8),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BACKGROUND", (0, -1), (-1, -1), STRIPE), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def payment_state(doc: InvoiceDocument) -> str:
    """The one sentence that tells the buyer whether anything is still to pay."""
    if doc.paid:
        return (f"Zapłacono: {format_pln(doc.gross_total)} ({doc.payment_method}). "
                f"Pozostało do zapłaty: {format_pln(Decimal(0))}")
    if doc.cash_on_delivery:
        return "Płatne przy odbiorze (za pobraniem)"
    return f"Termin płatności: {_day(doc.payment_due)}"


def ksef_qr_label(doc: InvoiceDocument) -> str:
    """The text under the KSeF QR code: the KSeF number, or "OFFLINE" until KSeF assigns one."""
    return clean_text(doc.ksef_number).strip() or OFFLINE_LABEL


def ksef_qr_drawing(doc: InvoiceDocument, size: float = QR_MAX_SIZE) -> Drawing | None:
    """The KSeF "KOD I" QR code (the verification link of ``doc.ksef_url``), ``size`` square with
    its quiet zone; ``None`` when the invoice has no link, so nothing is drawn.

    Error correction M: a print smudge or a fold still reads, and the code stays coarse enough
    (about half-millimetre modules) for a phone camera.
    """
    if not doc.ksef_url:
        return None
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(doc.ksef_url, barLevel="M", barBorder=4, barWidth=size, barHeight=size))
    drawing.hAlign = "CENTER"
    return drawing


def _ksef_label(doc: InvoiceDocument) -> Paragraph:
    """The label under the QR code, in the largest size that keeps it on one line."""
    label = ksef_qr_label(doc)
    width = QR_COLUMN - 2 * PAD
    size = next((size for size in QR_LABEL_SIZES if pdfmetrics.stringWidth(label, REGULAR, size) <= width),
                QR_LABEL_SIZES[-1])
    # CJK wrapping breaks anywhere, so a label longer than any real KSeF number wraps instead of
    # running out of the column.
    style = ParagraphStyle("ksef", fontName=REGULAR, fontSize=size, leading=size * 1.2, alignment=TA_CENTER,
                           wordWrap="CJK")
    return Paragraph(escape(label), style)


def _payment(doc: InvoiceDocument, s: _Styles) -> list[Flowable]:
    """The payment box and details; with a KSeF link, the QR code to their right.

    Beside the box the page has room anyway. The code takes the box's height (within 25-30 mm),
    so it adds no height and cannot push a one-page invoice onto a second page. One table row,
    so box and code stay together.
    """
    if not doc.ksef_url:
        return [KeepTogether(_payment_box(doc, s, CONTENT_WIDTH))]
    gap = 3 * mm
    left = CONTENT_WIDTH - QR_COLUMN - gap
    box = _payment_box(doc, s, left)
    label = _ksef_label(doc)
    box_height = sum(flowable.wrap(left, A4[1])[1] for flowable in box)
    label_height = label.wrap(QR_COLUMN - 2 * PAD, A4[1])[1]
    qr = ksef_qr_drawing(doc, min(QR_MAX_SIZE, max(QR_MIN_SIZE, box_height - label_height)))
    table = Table([[box, "", [qr, label]]], colWidths=[left, gap, QR_COLUMN])
    table.setStyle(TableStyle([_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (1, 0), 0),
                               ("RIGHTPADDING", (0, 0), (1, 0), 0), ("LEFTPADDING", (2, 0), (2, 0), PAD),
                               ("RIGHTPADDING", (2, 0), (2, 0), PAD), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _unbroken_amounts(markup: str) -> str:
    """Keep "zł" on the line of its amount (the thousands already use non-breaking spaces)."""
    return _AMOUNT_CURRENCY.sub("\\1\u00a0zł", markup)


def _payment_box(doc: InvoiceDocument, s: _Styles, width: float) -> list[Flowable]:
    """The box the buyer reads first (amount, words, whether anything is left to pay), then details."""
    def line(text: str, style: ParagraphStyle) -> list[object]:
        return [Paragraph(_unbroken_amounts(_markup(text)), style)]

    box = [line(f"Razem do zapłaty: {format_pln(doc.gross_total)}", s.due),
           line(f"Słownie: {amount_in_words(doc.gross_total)}", s.body)]
    rows = [("Sposób płatności:", doc.payment_method)]
    if doc.paid or doc.cash_on_delivery:
        box.append(line(payment_state(doc), s.bold))
    if not doc.paid:
        rows.append(("Termin płatności:", _day(doc.payment_due)))
        if doc.seller_bank_account and not doc.cash_on_delivery:
            rows.append(("Numer rachunku:", doc.seller_bank_account))
    due = Table(box, colWidths=[width])
    due.setStyle(TableStyle([_FONT, ("BOX", (0, 0), (-1, -1), 0.8, GRID), ("BACKGROUND", (0, 0), (-1, -1), STRIPE),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (0, 0), 6),
                             ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    details = _key_values(rows, s, 32 * mm, width)
    return [due, Spacer(1, 3 * mm), details]


def _notes(doc: InvoiceDocument, s: _Styles) -> list[Flowable]:
    notes = list(doc.notes)
    if doc.from_gross:
        notes.append("Podatek VAT obliczono od sumy wartości brutto w każdej stawce (art. 106e ust. 7 i 8 "
                     "ustawy o VAT).")
    if not notes:
        return []
    flow: list[Flowable] = [Spacer(1, 4 * mm), Paragraph("Uwagi", s.heading)]
    flow += [Paragraph(_markup(note), s.small) for note in notes]
    return flow


@one_at_a_time
def render_invoice_pdf(doc: InvoiceDocument, logo: Path | None = None) -> bytes:
    """Render the invoice as an A4 PDF and return its bytes.

    Raises ``PermanentError`` (code ``invoice_logo``) when a logo is given but cannot be read:
    an invoice should not silently lose the shop's branding because of a broken settings path.
    """
    register_fonts()
    s = _Styles()
    title = clean_text(f"Faktura VAT nr {doc.number}")
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN - FRAME_PAD, rightMargin=MARGIN - FRAME_PAD,
        topMargin=MARGIN - FRAME_PAD, bottomMargin=18 * mm - FRAME_PAD,
        title=title, author=clean_text(doc.seller.name), subject=clean_text(f"{title}, {doc.buyer.name}"),
        creator="LinkOptima", lang="pl-PL", displayDocTitle=True, initialFontName=REGULAR, initialFontSize=8.5)
    with_discount = has_discount(doc)
    story: list[Flowable] = [*_header(doc, s, logo), *_parties(doc, s), _lines_table(doc, with_discount),
                             Spacer(1, 5 * mm), _vat_summary(doc, s), Spacer(1, 5 * mm), *_payment(doc, s),
                             *_notes(doc, s)]
    header = partial(_continued_header, title)
    template.build(story, onFirstPage=lambda *_: None, onLaterPages=header,
                   canvasmaker=partial(_NumberedCanvas, footer=title))
    return buffer.getvalue()
