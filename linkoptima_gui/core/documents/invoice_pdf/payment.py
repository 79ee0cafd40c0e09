"""The part of the invoice the buyer reads first: how much, in words, and whether anything is
still to pay; then how and by when, and beside it the KSeF QR code when the invoice has one.

The QR code sits beside the box because the page has room there anyway: it takes the box's
height (within 25-30 mm), so it adds no height and cannot push a one-page invoice onto a second
page; box and code are one table row, so they stay together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ...domain.invoice import InvoiceDocument
from ...domain.money import format_pln
from ..amount_words import amount_in_words
from .glyphs import markup
from .ksef_qr import QR_COLUMN, QR_MAX_SIZE, QR_MIN_SIZE, KsefMarked, ksef_label, ksef_qr_drawing
from .style import CONTENT_WIDTH, GRID, PAD, STRIPE, TABLE_FONT, Styles, day, key_values

_AMOUNT_CURRENCY = re.compile(r"(\d) zł")


def payment_state(doc: InvoiceDocument) -> str:
    """The one sentence that tells the buyer whether anything is still to pay."""
    if doc.paid:
        return (f"Zapłacono: {format_pln(doc.gross_total)} ({doc.payment_method}). "
                f"Pozostało do zapłaty: {format_pln(Decimal(0))}")
    if doc.cash_on_delivery:
        return "Płatne przy odbiorze (za pobraniem)"
    return f"Termin płatności: {day(doc.payment_due)}"


def payment(doc: InvoiceDocument, s: Styles) -> list[Flowable]:
    """The payment box and details; with a KSeF link, the QR code to their right."""
    return beside_ksef_qr(lambda width: _payment_box(doc, s, width), doc)


def beside_ksef_qr(build_box: Callable[[float], list[Flowable]], mark: KsefMarked) -> list[Flowable]:
    """The box ``build_box(width)`` makes, kept together, with the KSeF QR code to its right
    when ``mark`` has a KSeF link (an invoice's payment box, a correction's amount box)."""
    if not mark.ksef_url:
        return [KeepTogether(build_box(CONTENT_WIDTH))]
    gap = 3 * mm
    left = CONTENT_WIDTH - QR_COLUMN - gap
    box = build_box(left)
    label = ksef_label(mark)
    box_height = sum(flowable.wrap(left, A4[1])[1] for flowable in box)
    label_height = label.wrap(QR_COLUMN - 2 * PAD, A4[1])[1]
    qr = ksef_qr_drawing(mark, min(QR_MAX_SIZE, max(QR_MIN_SIZE, box_height - label_height)))
    table = Table([[box, "", [qr, label]]], colWidths=[left, gap, QR_COLUMN])
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (1, 0), 0),
                               ("RIGHTPADDING", (0, 0), (1, 0), 0), ("LEFTPADDING", (2, 0), (2, 0), PAD),
                               ("RIGHTPADDING", (2, 0), (2, 0), PAD), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def unbroken_amounts(text: str) -> str:
    """Keep "zł" on the line of its amount (the thousands already use non-breaking spaces)."""
    return _AMOUNT_CURRENCY.sub("\\1\u00a0zł", text)


def _payment_box(doc: InvoiceDocument, s: Styles, width: float) -> list[Flowable]:
    """The box the buyer reads first (amount, words, whether anything is left to pay), then details."""
    def line(text: str, style: ParagraphStyle) -> list[object]:
        return [Paragraph(unbroken_amounts(markup(text)), style)]

    box = [line(f"Razem do zapłaty: {format_pln(doc.gross_total)}", s.due),
           line(f"Słownie: {amount_in_words(doc.gross_total)}", s.body)]
    rows = [("Sposób płatności:", doc.payment_method)]
    if doc.paid or doc.cash_on_delivery:
        box.append(line(payment_state(doc), s.bold))
    if not doc.paid:
        rows.append(("Termin płatności:", day(doc.payment_due)))
        if doc.seller_bank_account and not doc.cash_on_delivery:
            rows.append(("Numer rachunku:", doc.seller_bank_account))
    due = Table(box, colWidths=[width])
    due.setStyle(TableStyle([TABLE_FONT, ("BOX", (0, 0), (-1, -1), 0.8, GRID), ("BACKGROUND", (0, 0), (-1, -1), STRIPE),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (0, 0), 6),
                             ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    details = key_values(rows, s, 32 * mm, width)
    return [due, Spacer(1, 3 * mm), details]
