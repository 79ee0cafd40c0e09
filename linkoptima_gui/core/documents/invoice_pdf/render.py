"""The invoice PDF (A4), drawn from an ``InvoiceDocument`` exactly as Optima booked it.

The renderer computes no money: every figure comes from the document, so the PDF can never
disagree with the books. Its own jobs are the ones a printout gets wrong, each in a module of
this package: Polish letters and hostile text (``glyphs``), text of any length (everything wraps,
the lines table splits across pages with its header repeated: ``lines``), "Strona n z N"
(``pages``), the payment wording the buyer reads first (``payment``) and the KSeF QR code
(``ksef_qr``). This module lays the page out: the header with the shop's logo, the parties,
then the parts in reading order (the logo and the parties come from ``parties``, which the
correction invoice shares).
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ...domain.invoice import InvoiceDocument
from ..fonts import BOLD, REGULAR, one_at_a_time, register_fonts
from .glyphs import clean_text, markup
from .lines import has_discount, lines_table, vat_summary
from .pages import NumberedCanvas, continued_header
from .parties import logo_image, parties
from .payment import payment
from .style import CONTENT_WIDTH, FRAME_PAD, MARGIN, TABLE_FONT, Styles, day, key_values


def _header(doc: InvoiceDocument, s: Styles, logo: Path | None) -> list[Flowable]:
    left: list[Flowable] = [logo_image(logo), Spacer(1, 3 * mm)] if logo else []
    left.append(Paragraph(markup(f"Faktura VAT nr {doc.number}"), s.title))
    if doc.order_number:
        left.append(Paragraph(markup(f"Zamówienie nr {doc.order_number}"), s.body))
    if doc.ksef_number:
        left.append(Paragraph(f"Numer KSeF: <font name='{BOLD}'>{markup(doc.ksef_number)}</font>", s.body))
    right = key_values(
        [("Miejsce wystawienia:", doc.place), ("Data wystawienia:", day(doc.issue_date)),
         ("Data sprzedaży:", day(doc.sale_date))], s, 32 * mm, 70 * mm)
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - 70 * mm, 70 * mm])
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 6 * mm)]


def _notes(doc: InvoiceDocument, s: Styles) -> list[Flowable]:
    notes = list(doc.notes)
    if doc.from_gross:
        notes.append("Podatek VAT obliczono od sumy wartości brutto w każdej stawce (art. 106e ust. 7 i 8 "
                     "ustawy o VAT).")
    if not notes:
        return []
    flow: list[Flowable] = [Spacer(1, 4 * mm), Paragraph("Uwagi", s.heading)]
    flow += [Paragraph(markup(note), s.small) for note in notes]
    return flow


@one_at_a_time
def render_invoice_pdf(doc: InvoiceDocument, logo: Path | None = None) -> bytes:
    """Render the invoice as an A4 PDF and return its bytes.

    Raises ``PermanentError`` (code ``invoice_logo``) when a logo is given but cannot be read:
    an invoice should not silently lose the shop's branding because of a broken settings path.
    """
    register_fonts()
    s = Styles()
    title = clean_text(f"Faktura VAT nr {doc.number}")
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN - FRAME_PAD, rightMargin=MARGIN - FRAME_PAD,
        topMargin=MARGIN - FRAME_PAD, bottomMargin=18 * mm - FRAME_PAD,
        title=title, author=clean_text(doc.seller.name), subject=clean_text(f"{title}, {doc.buyer.name}"),
        creator="LinkOptima", lang="pl-PL", displayDocTitle=True, initialFontName=REGULAR, initialFontSize=8.5)
    with_discount = has_discount(doc)
    story: list[Flowable] = [*_header(doc, s, logo), *parties(doc.seller, doc.buyer, s), lines_table(doc, with_discount),
                             Spacer(1, 5 * mm), vat_summary(doc, s), Spacer(1, 5 * mm), *payment(doc, s),
                             *_notes(doc, s)]
    header = partial(continued_header, title)
    template.build(story, onFirstPage=lambda *_: None, onLaterPages=header,
                   canvasmaker=partial(NumberedCanvas, footer=title))
    return buffer.getvalue()
