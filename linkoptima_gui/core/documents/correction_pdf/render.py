"""The correction invoice PDF (A4), drawn from a ``CorrectionDocument`` exactly as Optima
booked it, in the invoice's look (its style, glyph filter, parties, page numbering, QR code).

What art. 106j ust. 2 asks for, in reading order: the correction's number and issue date; the
corrected invoice's number, issue date and, when it went through KSeF, its KSeF number; seller
and buyer with their NIP; the corrected goods by name; the correction of the base and the VAT
per rate. The title "Faktura korygująca" and the reason have not been mandatory since 2022,
but buyers and auditors look for both, so both are printed (reference/corrections.md §2.2).
The money figures are the books' own or sums of them (``states``); the box the buyer reads
first says how much comes back (or is still to pay).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ...domain.correction import CorrectionDocument, CorrectionKind
from ...domain.money import format_pln
from ..amount_words import amount_in_words
from ..fonts import BOLD, REGULAR, one_at_a_time
from ..invoice_pdf.glyphs import clean_text, markup
from ..invoice_pdf.pages import NumberedCanvas, continued_header
from ..invoice_pdf.parties import logo_image, parties
from ..invoice_pdf.payment import beside_ksef_qr, unbroken_amounts
from ..invoice_pdf.style import (
    CONTENT_WIDTH,
    FRAME_PAD,
    GRID,
    MARGIN,
    PAD,
    STRIPE,
    TABLE_FONT,
    Styles,
    day,
    key_values,
)
from .states import corrected_lines, earlier_of, rate_states, total_state
from .tables import lines_table, vat_summary

KIND_LABELS = {
    CorrectionKind.QUANTITY: "Korekta ilościowa (zwrot towaru)",
    CorrectionKind.VALUE: "Korekta wartościowa",
}


@dataclass(frozen=True)
class _KsefMark:
    """The correction's own KSeF number and "KOD I" link, for the shared QR code."""

    ksef_number: str
    ksef_url: str


def correction_title(doc: CorrectionDocument) -> str:
    return clean_text(f"Faktura korygująca nr {doc.number}")


def settlement_line(doc: CorrectionDocument) -> str:
    """The sentence the buyer reads first: money back, a smaller due, or more to pay.

    A reducing correction of a paid FA is money back ("Do zwrotu"); of an FA still unpaid
    (cash on delivery not collected, a transfer not made) nothing comes back, the due shrinks.
    """
    value = doc.gross_total
    if value < 0 and doc.original.paid:
        return f"Do zwrotu: {format_pln(-value)}"
    if value < 0:
        return f"Zmniejszenie należności: {format_pln(-value)}"
    if value > 0:
        return f"Do zapłaty: {format_pln(value)}"
    return f"Kwota korekty: {format_pln(Decimal(0))}"


def _header(doc: CorrectionDocument, s: Styles, logo: Path | None) -> list[Flowable]:
    left: list[Flowable] = [logo_image(logo), Spacer(1, 3 * mm)] if logo else []
    # 14 pt keeps "Faktura korygująca nr FAKI/123/2026" on one line beside the dates
    title = ParagraphStyle("correction_title", parent=s.title, fontSize=14, leading=18)
    left.append(Paragraph(markup(correction_title(doc)), title))
    left.append(Paragraph(markup(KIND_LABELS[doc.kind]), s.body))
    if doc.ksef_number:
        left.append(Paragraph(f"Numer KSeF: <font name='{BOLD}'>{markup(doc.ksef_number)}</font>", s.body))
    right = key_values([("Miejsce wystawienia:", doc.original.place), ("Data wystawienia:", day(doc.issue_date))],
                       s, 32 * mm, 70 * mm)
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - 70 * mm, 70 * mm])
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 5 * mm)]


def _corrected_invoice(doc: CorrectionDocument, earlier: Sequence[CorrectionDocument], s: Styles) -> list[Flowable]:
    """Which invoice this corrects, by what law asks (number, date, KSeF number), and why."""
    fa = doc.original
    rows = [("Faktura korygowana:", fa.number), ("Data wystawienia faktury korygowanej:", day(fa.issue_date))]
    if fa.ksef_number:
        rows.append(("Numer KSeF faktury korygowanej:", fa.ksef_number))
    if fa.order_number:
        rows.append(("Zamówienie nr:", fa.order_number))
    if earlier:
        rows.append(("Wcześniejsze korekty tej faktury:",
                     ", ".join(f"{other.number} z dnia {day(other.issue_date)}" for other in earlier)))
    if doc.reason.strip():
        rows.append(("Przyczyna korekty:", doc.reason))
    inner = key_values(rows, s, 55 * mm, CONTENT_WIDTH - 12)
    box = Table([[inner]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([TABLE_FONT, ("BOX", (0, 0), (-1, -1), 0.5, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return [box, Spacer(1, 4 * mm)]


def _amount_box(doc: CorrectionDocument, after_gross: Decimal, s: Styles, width: float) -> list[Flowable]:
    """How much comes back (or is due), in words, and what the invoice is worth after it."""
    def line(text: str, style: object) -> list[object]:
        return [Paragraph(unbroken_amounts(markup(text)), style)]

    box = Table([line(settlement_line(doc), s.due),
                 line(f"Słownie: {amount_in_words(abs(doc.gross_total))}", s.body),
                 line(f"Wartość faktury po korekcie: {format_pln(after_gross)}", s.bold)], colWidths=[width])
    box.setStyle(TableStyle([TABLE_FONT, ("BOX", (0, 0), (-1, -1), 0.8, GRID), ("BACKGROUND", (0, 0), (-1, -1), STRIPE),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                             ("TOPPADDING", (0, 0), (0, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    return [box]


def _notes(doc: CorrectionDocument, s: Styles) -> list[Flowable]:
    notes = ["Kwoty ujemne w wierszach „różnica” zmniejszają podstawę opodatkowania i podatek VAT, dodatnie je "
             "zwiększają.", *doc.notes]
    return [Spacer(1, 4 * mm), Paragraph("Uwagi", s.heading), *(Paragraph(markup(note), s.small) for note in notes)]


@one_at_a_time
def render_correction_pdf(doc: CorrectionDocument, earlier: Sequence[CorrectionDocument] = (),
                          logo: Path | None = None, *, ksef_url: str = "") -> bytes:
    """Render the correction invoice as an A4 PDF and return its bytes.

    ``earlier``: the corrections of the same FA booked before this one (any order; ``doc``
    itself is skipped if present), whose differences make this one's "before". ``ksef_url``:
    the correction's own KSeF "KOD I" link, drawn as a QR code beside the amount when given.
    Raises ``PermanentError`` (code ``invoice_logo``) for an unreadable logo and
    ``ValueError`` when an "earlier" correction belongs to another invoice.
    """
    previous = sorted(earlier_of(doc, earlier), key=lambda other: (other.issue_date, other.id))
    s = Styles()
    title = correction_title(doc)
    lines = corrected_lines(doc, previous)
    total = total_state(doc, previous)
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN - FRAME_PAD, rightMargin=MARGIN - FRAME_PAD,
        topMargin=MARGIN - FRAME_PAD, bottomMargin=18 * mm - FRAME_PAD,
        title=title, author=clean_text(doc.original.seller.name),
        subject=clean_text(f"{title}, {doc.original.buyer.name}"), creator="LinkOptima", lang="pl-PL",
        displayDocTitle=True, initialFontName=REGULAR, initialFontSize=8.5)
    mark = _KsefMark(doc.ksef_number, ksef_url)
    story: list[Flowable] = [
        *_header(doc, s, logo), *_corrected_invoice(doc, previous, s),
        *parties(doc.original.seller, doc.original.buyer, s), lines_table(lines), Spacer(1, 5 * mm),
        vat_summary(rate_states(doc, previous), total, s), Spacer(1, 5 * mm),
        *beside_ksef_qr(lambda width: _amount_box(doc, total.after.gross, s, width), mark), *_notes(doc, s)]
    template.build(story, onFirstPage=lambda *_: None, onLaterPages=partial(continued_header, title),
                   canvasmaker=partial(NumberedCanvas, footer=title))
    return buffer.getvalue()
